package dev.quant4j.safetensors.ct;

import dev.quant4j.api.spi.QuantizerSpec;
import dev.quant4j.api.tensor.DType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * The compressed-tensors preset schemes we write (compressed-tensors 0.18.0, quant_scheme.py PRESET_SCHEMES), each
 * with the compression format compressors/format.py infers for it.
 */
public enum CtScheme {
    /** int8 per-channel symmetric weights, dynamic per-token int8 activations. */
    W8A8(QuantArgs.weights(8, "int", true, null, "channel", null),
            QuantArgs.dynamicActivations(8, "int", null, "token"), "int-quantized"),
    /** float8_e4m3fn per-channel weights, dynamic per-token FP8 activations. */
    FP8_DYNAMIC(QuantArgs.weights(8, "float", true, null, "channel", null),
            QuantArgs.dynamicActivations(8, "float", null, "token"), "float-quantized"),
    /** int4 symmetric, groups of 128 along the input dimension, weights only. */
    W4A16(QuantArgs.weights(4, "int", true, 128, "group", null), null, "pack-quantized"),
    /** int4 asymmetric (zero points), groups of 128, weights only. */
    W4A16_ASYM(QuantArgs.weights(4, "int", false, 128, "group", null), null, "pack-quantized"),
    /** float8_e4m3fn in 128×128 blocks (DeepSeek-V3 style), dynamic per-group-of-128 FP8 activations. */
    FP8_BLOCK(QuantArgs.weights(8, "float", true, null, "block", List.of(128, 128)),
            QuantArgs.dynamicActivations(8, "float", 128, "group"), "float-quantized");

    private final QuantArgs weights;
    private final QuantArgs inputActivations;
    private final String format;

    CtScheme(QuantArgs weights, QuantArgs inputActivations, String format) {
        this.weights = weights;
        this.inputActivations = inputActivations;
        this.format = format;
    }

    public QuantArgs weights() {
        return weights;
    }

    public Optional<QuantArgs> inputActivations() {
        return Optional.ofNullable(inputActivations);
    }

    /** The compression format name written to config.json. */
    public String format() {
        return format;
    }

    /**
     * The installed quantizer that writes this scheme's weights, by registry name (quant-int's seed quantizers with
     * {@code layout=compressed-tensors}): int8 per-row, int4 groups of 128 (symmetric or not), fp8_e4m3 per-row or in
     * 128 × 128 blocks; scales stored as {@code scaleType}.
     */
    public QuantizerSpec quantizer(DType scaleType) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("layout", "compressed-tensors");
        o.put("scale-dtype", scaleType.lowerName());
        QuantArgs a = weights;
        if (a.type().equals("float")) {
            if (a.strategy().equals("block")) {
                o.put("block-size", Integer.toString(a.blockStructure().get(0)));
            }
            return new QuantizerSpec("fp8_e4m3", o);
        }
        if (a.numBits() == 8) {
            return new QuantizerSpec("int8", o);
        }
        o.put("group-size", Integer.toString(a.groupSize()));
        o.put("symmetric", Boolean.toString(a.symmetric()));
        return new QuantizerSpec("int4", o);
    }

    public static Optional<CtScheme> of(String name) {
        String n = name.toUpperCase(Locale.ROOT).replace('-', '_');
        for (CtScheme s : values()) {
            if (s.name().equals(n)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
