package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the {@code file-type} option selected: a llama.cpp mixture (Q4_K_M ...), COPY, or a single ggml type
 * for every quantizable tensor (only names that are not llama.cpp file types, i.e. {@code mxfp4}, {@code nvfp4}).
 *
 * @param name        the name as llama-quantize spells it (Q4_K_M, COPY, or the ggml type name)
 * @param ftype       the file type written and compared by the rules; null for COPY
 * @param defaultType the type every quantizable tensor starts with; null for COPY
 * @param kind        which of the three forms
 */
record FileTypeSpec(String name, Ftype ftype, DType defaultType, Kind kind) {
    enum Kind { MIXTURE, SINGLE_TYPE, COPY }

    /** llama-quantize's type list, in its order (a number selects the first entry with that id). */
    private static final List<FileTypeSpec> CLI = List.of(
            mix("Q1_0", Ftype.Q1_0), mix("Q2_0", Ftype.Q2_0), mix("Q4_0", Ftype.Q4_0), mix("Q4_1", Ftype.Q4_1),
            mix("MXFP4_MOE", Ftype.MXFP4_MOE), mix("Q5_0", Ftype.Q5_0), mix("Q5_1", Ftype.Q5_1),
            mix("IQ2_XXS", Ftype.IQ2_XXS), mix("IQ2_XS", Ftype.IQ2_XS), mix("IQ2_S", Ftype.IQ2_S),
            mix("IQ2_M", Ftype.IQ2_M), mix("IQ1_S", Ftype.IQ1_S), mix("IQ1_M", Ftype.IQ1_M),
            mix("TQ1_0", Ftype.TQ1_0), mix("TQ2_0", Ftype.TQ2_0), mix("Q2_K", Ftype.Q2_K),
            mix("Q2_K_S", Ftype.Q2_K_S), mix("IQ3_XXS", Ftype.IQ3_XXS), mix("IQ3_S", Ftype.IQ3_S),
            mix("IQ3_M", Ftype.IQ3_M), mix("Q3_K", Ftype.Q3_K_M), mix("IQ3_XS", Ftype.IQ3_XS),
            mix("Q3_K_S", Ftype.Q3_K_S), mix("Q3_K_M", Ftype.Q3_K_M), mix("Q3_K_L", Ftype.Q3_K_L),
            mix("IQ4_NL", Ftype.IQ4_NL), mix("IQ4_XS", Ftype.IQ4_XS), mix("Q4_K", Ftype.Q4_K_M),
            mix("Q4_K_S", Ftype.Q4_K_S), mix("Q4_K_M", Ftype.Q4_K_M), mix("Q5_K", Ftype.Q5_K_M),
            mix("Q5_K_S", Ftype.Q5_K_S), mix("Q5_K_M", Ftype.Q5_K_M), mix("Q6_K", Ftype.Q6_K),
            mix("Q8_0", Ftype.Q8_0), mix("F16", Ftype.MOSTLY_F16), mix("BF16", Ftype.MOSTLY_BF16),
            mix("F32", Ftype.ALL_F32), new FileTypeSpec("COPY", null, null, Kind.COPY));

    private static FileTypeSpec mix(String name, Ftype f) {
        return new FileTypeSpec(name, f, f.defaultType(), Kind.MIXTURE);
    }

    /**
     * Resolves a file-type argument the way llama-quantize does: a file type name (case-insensitive, aliases
     * included), else a number equal to a file type id (COPY has none), else — our extension — a ggml type name.
     */
    static FileTypeSpec parse(String text) {
        String t = text.trim();
        for (FileTypeSpec s : CLI) {
            if (s.name.equalsIgnoreCase(t)) {
                return s;
            }
        }
        if (t.matches("[+-]?\\d{1,9}")) {
            int id = Integer.parseInt(t);
            for (FileTypeSpec s : CLI) {
                if (s.kind == Kind.MIXTURE && s.ftype.id() == id) {
                    return s;
                }
            }
        }
        Optional<DType> single = DType.fromName(t);
        if (single.isPresent() && TargetTypes.isWritable(single.get())) {
            DType d = single.get();
            Ftype written = d == DType.MXFP4 ? Ftype.MXFP4_MOE : Ftype.NVFP4;
            return new FileTypeSpec(d.ggmlName(), written, d, Kind.SINGLE_TYPE);
        }
        if (single.isPresent()) {
            throw new IllegalArgumentException("file-type: " + single.get().ggmlName() + " is a ggml type that cannot"
                    + " hold model weights; use one of " + names() + " or a ggml type name of "
                    + TargetTypes.writableNames());
        }
        throw new IllegalArgumentException("file-type: unknown file type '" + text + "'; use one of " + names()
                + ", a file type number, or a ggml type name (e.g. mxfp4)");
    }

    static List<String> names() {
        List<String> out = new ArrayList<>();
        CLI.forEach(s -> out.add(s.name));
        return out;
    }

    boolean isCopy() {
        return kind == Kind.COPY;
    }

    /** True when the rules of mixtures.md section 4 apply (they key on a llama.cpp file type). */
    boolean hasMixtureRules() {
        return kind == Kind.MIXTURE;
    }

    @Override
    public String toString() {
        return name.toUpperCase(Locale.ROOT);
    }
}
