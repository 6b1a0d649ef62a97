package dev.quant4j.importance.gptq;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of the {@code gptq} quantizer.
 *
 * <p>{@code type} and {@code hessians} have no default; the provider refuses to create a quantizer without them.
 *
 * @param type        registry name of the quantizer that writes the bytes (a block-quantized ggml type:
 *                    {@code q4_k}, {@code q2_k}, {@code iq4_xs}, {@code q4_0}, ...); GPTQ only adjusts the weights
 *                    it rounds
 * @param typeOptions that quantizer's options, {@code key:value} pairs separated by {@code ;} (usually none)
 * @param hessians    the statistics file of this model ({@code quant quantize --gptq --calibration}, format in
 *                    docs/gptq.md); a tensor it does not cover is written by {@code type} alone (RTN)
 * @param dampening   fraction of the mean Hessian diagonal added to the diagonal (0.01)
 * @param actOrder    process a tensor's blocks by decreasing Hessian diagonal mass
 * @param lazyBatch   columns per lazy batch (128), rounded up to whole blocks
 */
public record GptqOptions(String type, String typeOptions, String hessians, double dampening, boolean actOrder,
                          int lazyBatch) {
    public GptqOptions {
        type = type == null || type.isBlank() ? null : type.trim();
        hessians = hessians == null || hessians.isBlank() ? null : hessians.trim();
        if (!(dampening >= 0) || Double.isInfinite(dampening)) {
            throw new IllegalArgumentException("dampening must be finite and >= 0, got " + dampening);
        }
        if (lazyBatch < 1) {
            throw new IllegalArgumentException("lazy-batch must be at least 1, got " + lazyBatch);
        }
        typeOptions = typeOptions == null ? "" : typeOptions.trim();
        innerOptions(typeOptions);
    }

    public static GptqOptions defaults() {
        return new GptqOptions(null, "", null, 0.01, false, 128);
    }

    /** {@code typeOptions} as the inner quantizer's option map. */
    public Map<String, String> innerOptions() {
        return innerOptions(typeOptions);
    }

    private static Map<String, String> innerOptions(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : s.split(";")) {
            if (kv.isBlank()) {
                continue;
            }
            int c = kv.indexOf(':');
            if (c <= 0) {
                throw new IllegalArgumentException("type-options: '" + kv + "' is not key:value");
            }
            m.put(kv.substring(0, c).trim(), kv.substring(c + 1).trim());
        }
        return m;
    }

    /** The inverse of {@link #innerOptions()}: how a caller writes a quantizer's options into {@code type-options}. */
    public static String encode(Map<String, String> options) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(options).forEach((k, v) -> {
            if (k.contains(";") || k.contains(":") || v.contains(";")) {
                throw new IllegalArgumentException("option " + k + "=" + v + " cannot be nested in type-options");
            }
            sb.append(sb.isEmpty() ? "" : ";").append(k).append(':').append(v);
        });
        return sb.toString();
    }
}
