package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Plans a BitNet b1.58 post-training conversion of a whole model. Every input tensor, in input order, gets the
 * {@link BitnetLayerMask} decision: {@code Ternary} tensors are written by the {@code bitnet-absmean} quantizer
 * in the configured layout, {@code Keep} tensors by the {@code f16}/{@code bf16}/{@code f32} quantizer (copied
 * when already of that type), {@code Unchanged} tensors are copied. The metadata announces the model as
 * llama.cpp's MOSTLY_TQ2_0 / TQ1_0 / IQ1_S. Importance chooses the block scales unless optimize-scales=false.
 * Refusals come before any work: a converted tensor that is not floating point, a quantizer that is not installed,
 * a model in which nothing becomes ternary.
 */
final class BitnetPlanner implements Planner {
    /** The quantizer writing ternary tensors (same name as the planner). */
    static final String QUANTIZER = "bitnet-absmean";
    /** Middle of the warning that counts selected tensors kept for their row length. */
    static final String UNFIT_WARNING = "kept in full precision because their rows are not multiples of";

    private final BitnetOptions options;
    private final BitnetLayerMask mask;
    private final Map<String, String> quantizerOptions;

    BitnetPlanner(BitnetOptions options) {
        this.options = options;
        this.mask = new BitnetLayerMask(options);
        // the quantizer needs the layout and optimize-scales; defaults are left implicit
        Map<String, String> q = new LinkedHashMap<>();
        if (options.layout() != BitnetOptions.defaults().layout()) {
            q.put("layout", options.layout().name().toLowerCase(Locale.ROOT));
        }
        if (!options.optimizeScales().equals(BitnetOptions.AUTO)) {
            q.put("optimize-scales", options.optimizeScales());
        }
        this.quantizerOptions = Map.copyOf(q);
    }

    @Override
    public Plan plan(PlanRequest request) {
        List<TensorPlan> plans = new ArrayList<>();
        List<String> unfit = new ArrayList<>();
        int ternary = 0;
        for (TensorInfo t : request.tensors()) {
            LayerDecision d = mask.decide(t.name(), t.shape());
            plans.add(switch (d) {
                case LayerDecision.Ternary tr -> new TensorPlan(t.name(), t.shape(), t.type(), tr.type(), QUANTIZER,
                        quantizerOptions, "ternary: " + tr.reason(), "");
                case LayerDecision.Keep k -> {
                    String rule = "kept " + k.type().lowerName() + ": " + k.reason();
                    String note = k.unfitRows() ? "not ternary: " + k.reason() : "";
                    yield k.type() == t.type() ? copy(t, rule, note)
                            : new TensorPlan(t.name(), t.shape(), t.type(), k.type(), k.type().lowerName(), Map.of(),
                                    rule, note);
                }
                case LayerDecision.Unchanged u -> copy(t, "unchanged: " + u.reason(), "");
            });
            if (d instanceof LayerDecision.Keep k && k.unfitRows()) {
                unfit.add(t.name());
            }
            if (d instanceof LayerDecision.Ternary) {
                ternary++;
            }
        }
        requireSomethingTernary(ternary, unfit, request);
        checkSources(plans);
        checkInstalled(plans, request);

        List<String> warnings = new ArrayList<>();
        if (!unfit.isEmpty()) {
            warnings.add(unfit.size() + " of " + request.tensors().size() + " tensor(s) " + UNFIT_WARNING + " "
                    + BitnetOptions.BLOCK_SIZE + " (kept as " + options.keptPrecision().type().lowerName() + "): "
                    + abbreviate(unfit));
        }
        Set<String> withheld = Set.of();
        if (request.calibration().isPresent() && !options.optimizes(true)) {
            var stats = request.calibration().get();
            warnings.add("importance matrix " + stats.source() + " not used: optimize-scales=false keeps the plain "
                    + "absmean scales");
            withheld = stats.tensors().keySet();
        }
        return new Plan(BitnetMetadata.of(request.metadata(), options.layout()), plans, warnings, withheld);
    }

    private static TensorPlan copy(TensorInfo t, String rule, String note) {
        return new TensorPlan(t.name(), t.shape(), t.type(), t.type(), null, Map.of(), rule, note);
    }

    /** A plan without ternary weights would only relabel the model as TQ; say why instead. */
    private void requireSomethingTernary(int ternary, List<String> unfit, PlanRequest request) {
        if (ternary > 0 || request.tensors().isEmpty()) {
            return;
        }
        String tensors = String.join(",", options.tensors());
        String why = unfit.isEmpty()
                ? "tensors=" + tensors + " selects no linear weight of this model"
                        + (options.tensors().contains(BitnetOptions.EXPERTS_ONLY)
                                ? " (it has no routed experts ffn_{gate,up,down}_exps; use tensors=all)"
                                : "; use tensors=all or patterns that match its tensor names")
                : "every selected tensor (" + abbreviate(unfit) + ") has rows that are not multiples of "
                        + BitnetOptions.BLOCK_SIZE + ", which TQ blocks cannot hold";
        throw new QuantException(ErrorCode.INVALID_PLAN, "bitnet-absmean: nothing would become ternary: " + why);
    }

    /** Converting reads the source as floats: quantized or integer tensors are refused. */
    private static void checkSources(List<TensorPlan> plans) {
        for (TensorPlan p : plans) {
            if (!p.isCopy() && !p.sourceType().isFloat()) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + p.name() + "' is "
                        + p.sourceType().name() + (p.sourceType().isQuantized() ? ", already quantized" : "")
                        + ": bitnet-absmean converts floating-point weights only (to " + p.targetType().name()
                        + "); start from the F32/F16/BF16 model");
            }
        }
    }

    /** Every quantizer the plan names must be installed. */
    private static void checkInstalled(List<TensorPlan> plans, PlanRequest request) {
        Map<String, String> missing = new LinkedHashMap<>();
        for (TensorPlan p : plans) {
            if (!p.isCopy() && !request.installedQuantizers().contains(p.quantizer())) {
                missing.putIfAbsent(p.quantizer(), "to write tensor '" + p.name() + "' as "
                        + p.targetType().lowerName());
            }
        }
        if (!missing.isEmpty()) {
            List<String> what = missing.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
            throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "the bitnet-absmean plan needs quantizers that are "
                    + "not installed: " + what + ". Available: " + request.installedQuantizers().stream().sorted()
                    .toList() + ". Install quant-lowbit (bitnet-absmean) and quant-int (f16, bf16, f32), or choose "
                    + "another kept-precision");
        }
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }
}
