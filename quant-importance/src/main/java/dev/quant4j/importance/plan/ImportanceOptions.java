package dev.quant4j.importance.plan;

import java.util.List;
import java.util.Locale;

/**
 * Options of the {@code importance} planner.
 *
 * @param targetBpw      bits per weight of the output's tensor data over all weights (llama.cpp's "BPW"); or
 * @param targetSize     bytes of the whole output file, header included: a number with an optional K, M, G, T
 *                       suffix (powers of 1024), e.g. {@code 3.2G}
 * @param profile        balanced (default), attention-high, compression-max, or a JSON profile file
 * @param candidates     types to choose from instead of the profile's (e.g. {@code q4_k,q5_k,q6_k})
 * @param estimator      cost estimator: {@code weighted-error} (no forward pass), {@code kld} (every candidate
 *                       measured through the forward pass) or {@code blend} (KLD measured at {@code kldTypes},
 *                       weighted error scaled per tensor to it); kld and blend need calibration text
 * @param sampleElements values per tensor round-tripped at most (rows are sampled beyond); 0: every row
 * @param cacheDir       folder of the cost cache (default {@code ~/.cache/quant4j}), {@code none} for no cache
 * @param export         write the plan as a llama-quantize {@code --tensor-type-file} here
 * @param floors         extra floors {@code REGEX=TYPE} on top of the profile's (quant-engine sets them for tensors
 *                       holding super weights: the cheapest type that keeps them)
 * @param gptqHessians   GPTQ statistics file of this model: offer every block-quantized candidate also as its GPTQ
 *                       variant (quantizer {@code gptq}), costed by its measured output-error ratio (docs/gptq.md)
 * @param kldTypes       the types whose KLD {@code blend} measures per tensor (those among its candidates)
 */
public record ImportanceOptions(double targetBpw, String targetSize, String profile, List<String> candidates,
                                String estimator, long sampleElements, String cacheDir, String export,
                                List<String> floors, String gptqHessians, List<String> kldTypes) {
    public static final long DEFAULT_SAMPLE = 1L << 20;
    /** The estimators by option value. */
    static final List<String> ESTIMATORS = List.of("weighted-error", "kld", "blend");
    /** blend's measured points: a low, a middle and a high type, so the fit sees the whole range. */
    static final List<String> DEFAULT_KLD_TYPES = List.of("q2_k", "iq4_xs", "q6_k");

    public ImportanceOptions {
        targetSize = blankToNull(targetSize);
        profile = profile == null || profile.isBlank() ? "balanced" : profile.trim();
        candidates = List.copyOf(candidates == null ? List.of() : candidates);
        estimator = estimator == null || estimator.isBlank() ? "weighted-error" : estimator.trim();
        cacheDir = blankToNull(cacheDir);
        export = blankToNull(export);
        floors = List.copyOf(floors == null ? List.of() : floors);
        Profile.floors(floors); // fail now on a bad floor
        gptqHessians = blankToNull(gptqHessians);
        if (!ESTIMATORS.contains(estimator)) {
            throw new IllegalArgumentException("estimator '" + estimator + "' is not available; estimators: "
                    + String.join(", ", ESTIMATORS));
        }
        kldTypes = List.copyOf(kldTypes == null || kldTypes.isEmpty() ? DEFAULT_KLD_TYPES : kldTypes);
        for (String c : kldTypes) {
            dev.quant4j.api.tensor.DType.fromName(c).orElseThrow(() -> new IllegalArgumentException(
                    "kld-types: '" + c + "' is not a ggml type name (q4_k, iq4_xs, f16, ...)"));
        }
        if (targetBpw < 0 || Double.isNaN(targetBpw) || Double.isInfinite(targetBpw)) {
            throw new IllegalArgumentException("target-bpw must be a positive number, got " + targetBpw);
        }
        if (targetBpw > 0 && targetSize != null) {
            throw new IllegalArgumentException("give one of target-bpw and target-size, not both");
        }
        if (targetSize != null) {
            parseSize(targetSize);
        }
        if (sampleElements < 0) {
            throw new IllegalArgumentException("sample-elements must be >= 0, got " + sampleElements);
        }
        Profile.named(profile); // fail now on a bad profile
        for (String c : candidates) {
            dev.quant4j.api.tensor.DType.fromName(c).orElseThrow(() -> new IllegalArgumentException(
                    "candidates: '" + c + "' is not a ggml type name (q4_k, iq4_xs, f16, ...)"));
        }
    }

    public static ImportanceOptions defaults() {
        return new ImportanceOptions(0, null, "balanced", List.of(), "weighted-error", DEFAULT_SAMPLE, null, null,
                List.of(), null, DEFAULT_KLD_TYPES);
    }

    /** True when a target is set (the planner refuses to plan without one). */
    boolean hasTarget() {
        return targetBpw > 0 || targetSize != null;
    }

    /** Bytes of {@code s}: a number (fractions allowed) with an optional K/M/G/T suffix (powers of 1024). */
    static long parseSize(String s) {
        String v = s.trim().toUpperCase(Locale.ROOT);
        if (v.endsWith("B")) {
            v = v.substring(0, v.length() - 1);
        }
        double mult = 1;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        int pow = "KMGT".indexOf(last);
        if (pow >= 0) {
            mult = Math.pow(1024, pow + 1);
            v = v.substring(0, v.length() - 1);
        }
        try {
            double n = Double.parseDouble(v.trim());
            if (!(n > 0) || Double.isInfinite(n)) {
                throw new NumberFormatException();
            }
            return (long) Math.floor(n * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("target-size '" + s + "' is not a size such as 3.2G, 800M or 123456789");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
