package dev.quant4j.safetensors.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerLookup;
import dev.quant4j.api.spi.QuantizerSpec;
import dev.quant4j.api.tensor.DType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which installed quantizer writes the Linear weights of a compressed-tensors checkpoint: the scheme's
 * ({@link CtScheme#quantizer}), with the scale dtype forced or each weight's own, optionally behind {@code gptq}
 * (format option {@code gptq-hessians=FILE}, with {@code gptq-dampening} and {@code gptq-act-order}). Quantizers are
 * created once per spec through the registry's lookup.
 */
final class CtWeights {
    static final String GPTQ_HESSIANS = "gptq-hessians";

    private final CtScheme scheme;
    private final DType forcedScale;
    private final Map<String, String> gptq;
    private final QuantizerLookup installed;
    private final Map<QuantizerSpec, Quantizer> made = new ConcurrentHashMap<>();

    CtWeights(CtScheme scheme, DType forcedScale, Map<String, String> formatOptions, QuantizerLookup installed) {
        this.scheme = scheme;
        this.forcedScale = forcedScale;
        this.installed = installed;
        Map<String, String> g = new LinkedHashMap<>();
        if (formatOptions.containsKey(GPTQ_HESSIANS)) {
            if (scheme.weights().groupSize() == null) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "GPTQ needs a group-quantized scheme (W4A16, "
                        + "W4A16_ASYM): " + scheme + " has no groups for GPTQ to fit one at a time");
            }
            g.put("hessians", formatOptions.get(GPTQ_HESSIANS));
            putIf(g, "dampening", formatOptions.get("gptq-dampening"));
            putIf(g, "act-order", formatOptions.get("gptq-act-order"));
        }
        this.gptq = Map.copyOf(g);
    }

    private static void putIf(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    CtScheme scheme() {
        return scheme;
    }

    /** The dtype of weight_scale for a weight stored as {@code weight}: forced, else its own (F32 unless F16/BF16). */
    DType scaleType(DType weight) {
        if (forcedScale != null) {
            return forcedScale;
        }
        return weight == DType.F16 || weight == DType.BF16 ? weight : DType.F32;
    }

    /** The quantizer of a Linear stored as {@code weight}, by name and options. */
    QuantizerSpec spec(DType weight) {
        QuantizerSpec plain = scheme.quantizer(scaleType(weight));
        if (gptq.isEmpty()) {
            return plain;
        }
        Map<String, String> o = new LinkedHashMap<>(gptq);
        o.put("type", plain.name());
        StringBuilder nested = new StringBuilder(); // gptq's type-options: key:value;key:value
        new TreeMap<>(plain.options()).forEach((k, v) -> nested.append(nested.isEmpty() ? "" : ";").append(k)
                .append(':').append(v));
        o.put("type-options", nested.toString());
        return new QuantizerSpec("gptq", o);
    }

    Quantizer quantizer(DType weight) {
        return made.computeIfAbsent(spec(weight), s -> s.create(installed));
    }

    /** f32, f16 or bf16 (any case, or torch's float32/float16/bfloat16); null stays null. */
    static DType parseScaleType(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "f16", "float16" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw new QuantException(ErrorCode.INVALID_OPTION, "scale-dtype '" + s
                    + "': expected f32, f16 or bf16");
        };
    }
}
