package dev.quant4j.importance.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanContext;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.spi.QualityProbe;
import dev.quant4j.importance.cost.Cost;
import dev.quant4j.importance.cost.CostAnalysis;
import dev.quant4j.importance.cost.CostCache;
import dev.quant4j.importance.cost.KldAnalysis;
import dev.quant4j.importance.cost.WeightedError;
import dev.quant4j.importance.solve.BudgetSolver;
import dev.quant4j.importance.solve.Choice;
import dev.quant4j.importance.solve.Selection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code importance} planner: measures what each candidate type costs each tensor (weighted-error), then
 * chooses one type per tensor minimising the total cost within the target size ({@link BudgetSolver}).
 *
 * <p>It decides types only. Which tensors are quantizable, the output order, the metadata and llama-quantize's
 * refusals come from the installed {@code llama-cpp} planner (reached by name through the request's
 * {@link PlanContext}): first planned at F16 to learn the quantizable tensors, finally planned with one exact
 * {@code tensor-type} override per tensor — the same overrides it exports as a {@code --tensor-type-file}, so
 * llama-quantize given that file writes the same types.
 */
final class ImportancePlanner implements Planner {
    static final String BASE_PLANNER = "llama-cpp";
    /** Separately stored experts of one MoE layer share a type (runtimes index them as one bank). */
    private static final Pattern EXPERT = Pattern.compile("^blk\\.(\\d+)\\.ffn_(up|down|gate)\\.(\\d+)\\.weight$");
    /** Types llama-quantize refuses for a tensor without importance data (mixtures.md section 7). */
    private static final Set<DType> NEED_IMATRIX = Set.of(DType.IQ1_S, DType.IQ1_M, DType.IQ2_XXS, DType.IQ2_XS,
            DType.IQ2_S, DType.IQ3_XXS);
    /** GGUF's default data alignment (general.alignment overrides it). */
    private static final long GGUF_ALIGNMENT = 32;

    private final ImportanceOptions options;

    ImportancePlanner(ImportanceOptions options) {
        this.options = options;
    }

    /** A tensor the solver decides: its candidates (ascending size), importance and cost weights. */
    private record Item(TensorInfo tensor, List<DType> candidates, TensorActivationStats importance,
                        TensorActivationStats costWeights) {
    }

    /** Tensors that must share a type, with the options they have in common. */
    private record Group(String key, List<Item> items, List<DType> candidates) {
    }

    @Override
    public Plan plan(PlanRequest request) {
        PlanContext ctx = request.context().orElseThrow(() -> new QuantException(ErrorCode.INVALID_PLAN,
                "the importance planner measures tensors and needs their data: run it through quant-engine's "
                        + "QuantizeJob (quant quantize --planner importance), which supplies it"));
        if (!options.hasTarget()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "importance: give a target, e.g. target-bpw=3.5 "
                    + "(--target-bpw 3.5) or target-size=3.2G (--target-size 3.2G)");
        }
        Profile profile = Profile.named(options.profile()).withFloors(options.floors());
        List<String> warnings = new ArrayList<>();
        // every quantizable tensor at one type: llama-cpp copies only what llama-quantize never quantizes
        Plan base = ctx.plan(BASE_PLANNER, Map.of("file-type", "Q8_0", "pure", "true", "dry-run", "true"), request);
        Map<String, TensorInfo> byName = new HashMap<>();
        request.tensors().forEach(t -> byName.put(t.name(), t));

        List<Item> items = new ArrayList<>();
        for (TensorPlan tp : base.tensors()) {
            if (!quantizable(tp)) {
                continue;
            }
            TensorInfo t = byName.get(tp.name());
            TensorActivationStats imp = importance(request, t, warnings);
            items.add(new Item(t, candidates(request, ctx, profile, t, imp), imp,
                    imp == null ? normWeights(ctx, byName, t) : null));
        }
        List<Group> groups = group(items);

        CostAnalysis.Result measured = measure(ctx, items);
        GptqCandidates gptq = options.gptqHessians() == null ? GptqCandidates.none()
                : GptqCandidates.measure(ctx, options.gptqHessians(), items.stream().map(it -> new GptqCandidates.Job(
                        it.tensor().name(), it.importance(), it.candidates())).toList());
        Estimates est = estimate(ctx, items, measured);
        long elements = request.tensors().stream().mapToLong(t -> t.shape().elementCount()).sum();
        long alignment = alignment(request);
        boolean bySize = options.targetSize() != null;
        // weight of an option: tensor bytes (bpw target) or bytes padded as the file stores them (size target)
        List<List<Choice>> instance = new ArrayList<>();
        for (Group g : groups) {
            List<Choice> opts = new ArrayList<>();
            for (DType type : g.candidates()) {
                long w = 0;
                double c = 0;
                for (Item it : g.items()) {
                    long bytes = TensorInfo.byteSize(type, it.tensor().shape());
                    w += bySize ? alignUp(bytes, alignment) : bytes;
                    c += est.cost(it.tensor().name(), type.lowerName()) * profile.weight(it.tensor().name())
                            * gptq.factor(it.tensor().name(), type);
                }
                opts.add(new Choice(w, c));
            }
            instance.add(opts);
        }
        long fixed = fixedBytes(ctx, base, items, bySize, alignment);
        long target = bySize ? ImportanceOptions.parseSize(options.targetSize())
                : (long) Math.floor(options.targetBpw() * elements / 8.0);
        Selection sel = BudgetSolver.solve(instance, target - fixed);
        if (sel == null) {
            long least = fixed + instance.stream().mapToLong(o -> o.stream().mapToLong(Choice::weight).min().orElse(0)).sum();
            throw new QuantException(ErrorCode.INVALID_PLAN, "importance: the target " + describeTarget()
                    + " is below the smallest plan the candidates allow (" + least + " bytes"
                    + (bySize ? "" : String.format(Locale.ROOT, ", %.3f bpw", 8.0 * least / elements))
                    + "); raise the target or add smaller candidates (profile compression-max)");
        }

        Map<String, DType> chosen = new LinkedHashMap<>();
        Map<String, String> rules = new HashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            DType type = g.candidates().get(sel.pick(gi));
            for (Item it : g.items()) {
                chosen.put(it.tensor().name(), type);
                rules.put(it.tensor().name(), "importance " + profile.name() + ": "
                        + est.describe(it.tensor().name(), type.lowerName()));
            }
        }
        List<String> entries = new ArrayList<>();
        chosen.forEach((name, type) -> entries.add(TensorTypeFile.entry(name, type)));
        String fileType = fileType(chosen, byName);
        Plan fin = ctx.plan(BASE_PLANNER, Map.of("file-type", fileType, "tensor-type", String.join("\n", entries)),
                request);
        List<TensorPlan> tensors = new ArrayList<>();
        long tensorBytes = 0;
        for (TensorPlan tp : fin.tensors()) {
            DType want = chosen.get(tp.name());
            if (want != null && tp.targetType() != want) {
                throw new IllegalStateException("planner '" + BASE_PLANNER + "' wrote tensor '" + tp.name() + "' as "
                        + tp.targetType().lowerName() + " although the importance plan chose " + want.lowerName());
            }
            tensors.add(want == null ? tp : gptq.apply(new TensorPlan(tp.name(), tp.shape(), tp.sourceType(),
                    tp.targetType(), tp.quantizer(), tp.options(), rules.get(tp.name()), tp.note())));
            tensorBytes += TensorInfo.byteSize(tp.targetType(), tp.shape());
        }
        long fileBytes = ctx.fileBytes(layout(fin));
        if ((bySize ? fileBytes : tensorBytes) > target) {
            throw new IllegalStateException("importance plan of " + (bySize ? fileBytes : tensorBytes)
                    + " bytes exceeds the target " + target);
        }
        warnings.addAll(fin.warnings());
        List<String> summary = summary(profile, groups, measured, est, sel, instance, target, fixed, elements, tensorBytes,
                fileBytes, fileType, bySize);
        if (options.gptqHessians() != null) {
            summary.add(gptq.summary(chosen));
        }
        if (options.export() != null) {
            try {
                TensorTypeFile.write(Path.of(options.export()), entries);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the tensor type file " + options.export() + ": "
                        + e.getMessage(), e);
            }
            summary.add("tensor types written to " + options.export() + " (llama-quantize --tensor-type-file "
                    + options.export() + (request.calibration().isPresent() ? " --imatrix IMATRIX" : "")
                    + " IN OUT " + fileType + ")");
        }
        return new Plan(fin.metadata(), tensors, warnings, fin.importanceWithheld(), summary);
    }

    /**
     * Cost weights for {@code output.weight} when the imatrix has no entry for it (llama-imatrix skips it unless
     * asked): its input is the final RMSNorm's output, whose column j has mean square ≈ γ_j² (the normalised
     * vector has unit mean square), so γ² from {@code output_norm.weight} stands in for the imatrix. The
     * quantizers still get no importance, as in the final quantization.
     */
    private static TensorActivationStats normWeights(PlanContext ctx, Map<String, TensorInfo> byName, TensorInfo t) {
        TensorInfo norm = byName.get("output_norm.weight");
        if (!t.name().equals("output.weight") || norm == null || norm.shape().elementCount() != t.shape().rowLength()
                || !norm.type().isFloat()) {
            return null;
        }
        int n = (int) t.shape().rowLength();
        float[] g = new float[n];
        ctx.tensor(norm.name()).readRow(0, g, 0);
        for (int j = 0; j < n; j++) {
            g[j] *= g[j];
        }
        return TensorActivationStats.of(t.name(), n, 0, g);
    }

    /** Not excluded by llama-quantize's rules (a tensor already at the base type is a copy but quantizable). */
    private static boolean quantizable(TensorPlan tp) {
        return !tp.isCopy() || !tp.rule().startsWith("not quantized");
    }

    /** The tensor's importance row(s) laid out by its row length, or null (with a warning when unusable). */
    private static TensorActivationStats importance(PlanRequest request, TensorInfo t, List<String> warnings) {
        TensorActivationStats s = request.calibration().flatMap(c -> c.forTensor(t.name())).orElse(null);
        if (s == null) {
            return null;
        }
        long n = t.shape().rowLength();
        long total = (long) s.columns() * s.slices();
        if (s.columns() == n) {
            return s;
        }
        if (total % n == 0) {
            return new TensorActivationStats(s.tensor(), (int) n, (int) (total / n), s.count(), s.meanSquares());
        }
        warnings.add("importance data for '" + t.name() + "' has " + total + " values, which do not fit rows of " + n
                + "; its costs are measured without it");
        return null;
    }

    /** The candidate types of one tensor, by ascending bits per weight. */
    private List<DType> candidates(PlanRequest request, PlanContext ctx, Profile profile, TensorInfo t,
                                   TensorActivationStats imp) {
        List<DType> pool = options.candidates().isEmpty() ? profile.candidates()
                : options.candidates().stream().map(c -> DType.fromName(c).orElseThrow()).toList();
        boolean lookup = TensorClass.of(t.name()) == TensorClass.EMBEDDING;
        List<DType> out = new ArrayList<>();
        for (DType type : pool) {
            String name = type.lowerName();
            if (!(request.quantizers().get(name) instanceof TensorEncoding.Ggml g) || g.type() != type
                    || type.rowBytes(t.shape().rowLength()) < 0 || !profile.allows(t.name(), type)) {
                continue;
            }
            if (imp == null && (ctx.quantizerDescriptor(name).has(Capability.REQUIRES_CALIBRATION)
                    || NEED_IMATRIX.contains(type) && !lookup && !t.name().equals("output.weight"))) {
                continue;
            }
            out.add(type);
        }
        if (out.isEmpty()) {
            if (request.quantizers().containsKey("f16") && profile.allows(t.name(), DType.F16)) {
                return List.of(DType.F16);
            }
            throw new QuantException(ErrorCode.INVALID_PLAN, "importance: no candidate type fits tensor '" + t.name()
                    + "' (row length " + t.shape().rowLength() + ", profile " + profile.name()
                    + "); widen the candidates or relax the profile's floors/ceilings");
        }
        out.sort((a, b) -> Double.compare(a.bitsPerWeight(), b.bitsPerWeight()));
        return out;
    }

    private static List<Group> group(List<Item> items) {
        Map<String, List<Item>> byKey = new LinkedHashMap<>();
        for (Item it : items) {
            Matcher m = EXPERT.matcher(it.tensor().name());
            String key = m.matches() ? "blk." + m.group(1) + ".ffn_" + m.group(2) + ".experts" : it.tensor().name();
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(it);
        }
        List<Group> out = new ArrayList<>();
        byKey.forEach((key, members) -> {
            List<DType> common = new ArrayList<>(members.getFirst().candidates());
            members.forEach(m -> common.retainAll(m.candidates()));
            if (common.isEmpty()) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "importance: the experts of " + key
                        + " must share a type but have no candidate in common");
            }
            out.add(new Group(key, members, common));
        });
        return out;
    }

    private CostAnalysis.Result measure(PlanContext ctx, List<Item> items) {
        List<CostAnalysis.Job> jobs = items.stream().map(it -> new CostAnalysis.Job(it.tensor().name(), it.importance(),
                it.costWeights(),
                TensorClass.of(it.tensor().name()) == TensorClass.EMBEDDING,
                it.candidates().stream().map(DType::lowerName).toList())).toList();
        long sample = options.sampleElements() == 0 ? Long.MAX_VALUE : options.sampleElements();
        return new CostAnalysis(ctx, new CostCache(cacheDir()), sample).run(jobs);
    }

    /**
     * The cost the solver minimises: weighted error as measured, or (kld, blend) KLD measured through the
     * context's quality probe, every candidate or a few types per tensor scaled by {@link dev.quant4j.importance.cost.Blend} (fallback fit: same role, e.g. attn_v.weight, of other layers).
     */
    private Estimates estimate(PlanContext ctx, List<Item> items, CostAnalysis.Result measured) {
        if (options.estimator().equals(WeightedError.NAME)) {
            return Estimates.weightedError(measured.costs());
        }
        QualityProbe probe = ctx.qualityProbe().orElseThrow(() -> new QuantException(ErrorCode.INVALID_OPTION,
                "importance: estimator " + options.estimator() + " measures KL divergence through the forward pass "
                        + "and needs calibration text: give --calibration TEXT (quant quantize), or use "
                        + "estimator=weighted-error"));
        boolean all = options.estimator().equals(KldAnalysis.NAME);
        List<KldAnalysis.Job> jobs = new ArrayList<>();
        for (Item it : items) {
            List<String> types = it.candidates().stream().map(DType::lowerName)
                    .filter(t -> all || options.kldTypes().contains(t)).toList();
            jobs.add(new KldAnalysis.Job(it.tensor().name(), it.importance(), types));
        }
        KldAnalysis.Result kld = new KldAnalysis(ctx, probe, new CostCache(cacheDir())).run(jobs);
        return Estimates.measured(options.estimator(), measured.costs(), kld,
                t -> t.replaceFirst("^blk\\.\\d+\\.", ""));
    }

    Path cacheDir() {
        String d = options.cacheDir();
        if (d != null && d.equals("none")) {
            return null;
        }
        if (d != null) {
            return Path.of(d);
        }
        String home = System.getProperty("user.home");
        return home == null ? null : Path.of(home, ".cache", "quant4j", "costs");
    }

    /**
     * Bytes that do not depend on the choice: for a size target the whole file minus the quantizable tensors'
     * padded data (the writer's own size of the F16 plan gives it exactly), for a bpw target the data of the
     * tensors kept as they are.
     */
    private static long fixedBytes(PlanContext ctx, Plan base, List<Item> items, boolean bySize, long alignment) {
        Set<String> decided = new java.util.HashSet<>();
        items.forEach(it -> decided.add(it.tensor().name()));
        if (!bySize) {
            return base.tensors().stream().filter(tp -> !decided.contains(tp.name()))
                    .mapToLong(tp -> TensorInfo.byteSize(tp.targetType(), tp.shape())).sum();
        }
        long file = ctx.fileBytes(layout(base));
        long variable = base.tensors().stream().filter(tp -> decided.contains(tp.name()))
                .mapToLong(tp -> alignUp(TensorInfo.byteSize(tp.targetType(), tp.shape()), alignment)).sum();
        return file - variable;
    }

    static ModelLayout layout(Plan plan) {
        return new ModelLayout(plan.metadata(), plan.tensors().stream().map(tp -> new ModelLayout.TensorSlot(tp.name(),
                tp.targetType(), tp.shape(), TensorInfo.byteSize(tp.targetType(), tp.shape()))).toList());
    }

    private static long alignment(PlanRequest request) {
        return request.metadata().get("general.alignment")
                .filter(v -> v instanceof MetaValue.Int(MetaType t, long a) && a > 0)
                .map(v -> ((MetaValue.Int) v).value()).orElse(GGUF_ALIGNMENT);
    }

    private static long alignUp(long n, long a) {
        return (n + a - 1) / a * a;
    }

    /** The llama.cpp file type recorded in the output: the one whose main type holds the most weights. */
    private static String fileType(Map<String, DType> chosen, Map<String, TensorInfo> byName) {
        Map<DType, Long> weights = new HashMap<>();
        chosen.forEach((n, t) -> weights.merge(t, byName.get(n).shape().elementCount(), Long::sum));
        DType top = weights.entrySet().stream().filter(e -> e.getKey().isQuantized())
                .max(Map.Entry.<DType, Long>comparingByValue().thenComparing(e -> -e.getKey().id()))
                .map(Map.Entry::getKey).orElse(DType.Q8_0);
        return switch (top) {
            case Q3_K -> "Q3_K_M";
            case Q4_K -> "Q4_K_M";
            case Q5_K -> "Q5_K_M";
            case Q2_K, Q6_K, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ4_XS, IQ4_NL,
                 IQ1_S, IQ1_M, TQ1_0, TQ2_0 -> top.name();
            default -> "Q8_0";
        };
    }

    private String describeTarget() {
        return options.targetSize() != null ? "target-size " + options.targetSize()
                : String.format(Locale.ROOT, "target-bpw %.4g", options.targetBpw());
    }

    private List<String> summary(Profile profile, List<Group> groups, CostAnalysis.Result measured, Estimates est,
                                 Selection sel,
                                 List<List<Choice>> instance, long target, long fixed, long elements, long tensorBytes,
                                 long fileBytes, String fileType, boolean bySize) {
        List<String> out = new ArrayList<>();
        int tensors = groups.stream().mapToInt(g -> g.items().size()).sum();
        out.add(String.format(Locale.ROOT, "importance: profile %s, estimator %s, %d tensors in %d groups, "
                + "%d round trips measured, %d read from the cache%s", profile.name(), options.estimator(), tensors,
                groups.size(), measured.measured(), measured.cached(),
                cacheDir() == null ? " (cache off)" : " (" + cacheDir() + ")"));
        out.addAll(est.summary());
        double worstSe = 0;
        for (var e : measured.costs().values()) {
            for (Cost c : e.values()) {
                if (c.value() > 0) {
                    worstSe = Math.max(worstSe, c.stdError() / c.value());
                }
            }
        }
        if (worstSe > 0) {
            out.add(String.format(Locale.ROOT, "sampling: at most %d values per tensor; largest relative standard "
                    + "error of a cost %.2f%%", options.sampleElements(), 100 * worstSe));
        }
        out.add(String.format(Locale.ROOT, "target %s: file %d bytes, tensor data %d bytes, %.4f bpw, estimated "
                + "cost %.6g%s; file type %s", describeTarget(), fileBytes, tensorBytes, 8.0 * tensorBytes / elements,
                sel.cost(), sel.exact() ? " (optimal)" : " (optimal within size rounding)", fileType));
        StringBuilder f = new StringBuilder("frontier (estimated cost at ±0.25 bpw):");
        long quarter = (long) Math.floor(0.25 * elements / 8.0);
        for (int k = -1; k <= 1; k++) {
            long budget = target - fixed + k * quarter;
            Selection s = k == 0 ? sel : BudgetSolver.solve(instance, budget);
            double bpw = 8.0 * (tensorBytes + (s == null ? 0 : s.weight() - sel.weight())) / elements;
            f.append(String.format(Locale.ROOT, "  %+.2f bpw: %s", 0.25 * k,
                    s == null ? "infeasible" : String.format(Locale.ROOT, "cost %.6g at %.4f bpw", s.cost(), bpw)));
        }
        out.add(f.toString());
        return out;
    }
}
