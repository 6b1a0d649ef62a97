package dev.quant4j.importance.plan;

import dev.quant4j.api.json.Json;
import dev.quant4j.api.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How the planner trades quality between tensors: the candidate types, floors and ceilings per tensor-name
 * pattern (a tensor gets no type with fewer bits than its floor's or more than its ceiling's), and a weight
 * per tensor class multiplying the measured cost (a weight of 2 makes the solver spend bits on that class as if
 * its errors cost twice as much).
 */
record Profile(String name, List<DType> candidates, List<Bound> floors, List<Bound> ceilings,
               Map<TensorClass, Double> weights) {
    /** Types worth weighing for an ordinary model: 2 to 16 bits, no ternary or sub-2-bit codebooks. */
    static final List<DType> STANDARD = List.of(DType.IQ2_XXS, DType.IQ2_XS, DType.Q2_K, DType.IQ2_S,
            DType.IQ3_XXS, DType.Q3_K, DType.IQ3_S, DType.IQ4_XS, DType.IQ4_NL, DType.Q4_0, DType.Q4_1, DType.Q4_K,
            DType.Q5_0, DType.Q5_1, DType.Q5_K, DType.Q6_K, DType.Q8_0, DType.F16);

    Profile {
        candidates = List.copyOf(candidates);
        floors = List.copyOf(floors);
        ceilings = List.copyOf(ceilings);
        EnumMap<TensorClass, Double> w = new EnumMap<>(TensorClass.class);
        for (TensorClass c : TensorClass.values()) {
            double v = weights.getOrDefault(c, 1.0);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("profile " + name + ": weight of " + c.key() + " must be positive, got " + v);
            }
            w.put(c, v);
        }
        weights = Map.copyOf(w);
    }

    double weight(String tensor) {
        return weights.get(TensorClass.of(tensor));
    }

    /** True when {@code type} respects every floor and ceiling matching {@code tensor}. */
    boolean allows(String tensor, DType type) {
        double bpw = type.bitsPerWeight();
        for (Bound f : floors) {
            if (f.matches(tensor) && bpw < f.type().bitsPerWeight()) {
                return false;
            }
        }
        for (Bound c : ceilings) {
            if (c.matches(tensor) && bpw > c.type().bitsPerWeight()) {
                return false;
            }
        }
        return true;
    }

    /** A built-in profile by name, or a JSON profile file by path. */
    static Profile named(String nameOrPath) {
        return switch (nameOrPath) {
            case "", "balanced" -> balanced();
            case "attention-high" -> attentionHigh();
            case "compression-max" -> compressionMax();
            default -> {
                Path p = Path.of(nameOrPath);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("profile '" + nameOrPath + "' is neither a built-in profile "
                            + "(balanced, attention-high, compression-max) nor a JSON profile file");
                }
                yield fromJson(p);
            }
        };
    }

    /** Pure measured cost over the standard candidates. */
    static Profile balanced() {
        return new Profile("balanced", STANDARD, List.of(), List.of(), Map.of());
    }

    /**
     * Attention and the output/embedding tensors protected: never below Q4_K's 4.5 bits (output below Q6_K's),
     * and their measured cost weighted up (×2, output ×3), so bits go there first.
     */
    static Profile attentionHigh() {
        return new Profile("attention-high", STANDARD,
                List.of(bound("attn_", DType.Q4_K), bound("^output\\.weight$", DType.Q6_K),
                        bound("^token_embd\\.weight$", DType.Q4_K)),
                List.of(), Map.of(TensorClass.ATTENTION, 2.0, TensorClass.OUTPUT, 3.0, TensorClass.EMBEDDING, 2.0));
    }

    /**
     * The fewest bits the target allows: the sub-2-bit codebooks (IQ1_S, IQ1_M) join the candidates, and only
     * the tensors where quality collapses at those widths get floors (output at Q4_K; token embedding and
     * attention values at Q2_K's 2.625 bits, as llama.cpp's own IQ1 mixtures keep them above 2 bits).
     */
    static Profile compressionMax() {
        List<DType> c = new ArrayList<>(List.of(DType.IQ1_S, DType.IQ1_M));
        c.addAll(STANDARD);
        return new Profile("compression-max", c,
                List.of(bound("^output\\.weight$", DType.Q4_K), bound("^token_embd\\.weight$", DType.Q2_K),
                        bound("attn_v\\.weight", DType.Q2_K)),
                List.of(), Map.of());
    }

    /** This profile with {@code extra} floors ({@code REGEX=TYPE}) added. */
    Profile withFloors(List<String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        List<Bound> all = new ArrayList<>(floors);
        all.addAll(floors(extra));
        return new Profile(name, candidates, all, ceilings, weights);
    }

    /** Floors given as {@code REGEX=TYPE}. */
    static List<Bound> floors(List<String> specs) {
        List<Bound> out = new ArrayList<>();
        for (String s : specs) {
            int eq = s.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("floors: '" + s + "' is not REGEX=TYPE");
            }
            out.add(bound(s.substring(0, eq), type(s.substring(eq + 1), "floors")));
        }
        return out;
    }

    private static Bound bound(String regex, DType t) {
        return new Bound(Pattern.compile(regex), t);
    }

    /**
     * A profile file: {@code {"name": S, "base": PROFILE, "candidates": [TYPE...], "floors": {REGEX: TYPE},
     * "ceilings": {REGEX: TYPE}, "weights": {CLASS: NUMBER}}}, every member optional; the base (default balanced)
     * supplies what is absent, floors and ceilings add to the base's. Classes: output, embedding, attention, ffn,
     * other.
     */
    static Profile fromJson(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("profile " + file + ": cannot read: " + e.getMessage());
        }
        try {
            return fromJson(file.toString(), Json.parseObject(text));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("profile " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static Profile fromJson(String source, Map<String, Object> root) {
        for (String k : root.keySet()) {
            if (!List.of("name", "base", "candidates", "floors", "ceilings", "weights").contains(k)) {
                throw new IllegalArgumentException("unknown member \"" + k
                        + "\"; members: name, base, candidates, floors, ceilings, weights");
            }
        }
        Profile base = named(string(root.getOrDefault("base", "balanced"), "base"));
        String name = string(root.getOrDefault("name", source), "name");
        List<DType> candidates = base.candidates();
        if (root.containsKey("candidates")) {
            candidates = new ArrayList<>();
            for (Object o : (List<Object>) root.get("candidates")) {
                candidates.add(type(string(o, "candidates"), "candidates"));
            }
        }
        List<Bound> floors = new ArrayList<>(base.floors());
        floors.addAll(bounds(root.get("floors"), "floors"));
        List<Bound> ceilings = new ArrayList<>(base.ceilings());
        ceilings.addAll(bounds(root.get("ceilings"), "ceilings"));
        Map<TensorClass, Double> weights = new EnumMap<>(base.weights());
        if (root.get("weights") != null) {
            for (var e : ((Map<String, Object>) root.get("weights")).entrySet()) {
                if (!(e.getValue() instanceof Double d)) {
                    throw new IllegalArgumentException("weights." + e.getKey() + " must be a number");
                }
                weights.put(TensorClass.parse(e.getKey()), d);
            }
        }
        return new Profile(name, candidates, floors, ceilings, weights);
    }

    @SuppressWarnings("unchecked")
    private static List<Bound> bounds(Object o, String member) {
        List<Bound> out = new ArrayList<>();
        if (o == null) {
            return out;
        }
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(member + " must be an object of REGEX: TYPE");
        }
        for (var e : ((Map<String, Object>) o).entrySet()) {
            try {
                out.add(new Bound(Pattern.compile(e.getKey()), type(string(e.getValue(), member), member)));
            } catch (PatternSyntaxException x) {
                throw new IllegalArgumentException(member + ": '" + e.getKey() + "' is not a valid regular expression: "
                        + x.getDescription());
            }
        }
        return out;
    }

    private static String string(Object o, String member) {
        if (!(o instanceof String s)) {
            throw new IllegalArgumentException(member + ": expected a string, got " + o);
        }
        return s;
    }

    private static DType type(String name, String member) {
        return DType.fromName(name.trim()).orElseThrow(() -> new IllegalArgumentException(member + ": '" + name
                + "' is not a ggml type name (q4_k, iq4_xs, f16, ...)"));
    }
}
