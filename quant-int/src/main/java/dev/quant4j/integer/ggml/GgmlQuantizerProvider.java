package dev.quant4j.integer.ggml;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A quantizer provider for one ggml type, named like the type ({@code q4_k}). Concrete registrations are the
 * one-line subclasses in {@link GgmlProviders}. Every one dequantizes, encodes rows independently and is
 * byte-exact with llama.cpp; those with an imatrix path also declare {@link Capability#USES_CALIBRATION}.
 */
public abstract class GgmlQuantizerProvider extends NoOptionsQuantizerProvider {
    GgmlQuantizerProvider(RowCodec codec) {
        super(codec.type().lowerName(), displayName(codec.type()), () -> new CodecQuantizer(codec), capabilities(codec));
    }

    static String displayName(DType t) {
        return t.isQuantized()
                ? "ggml " + t.name() + " (" + t.blockSize() + "-element blocks, " + fourDigits(t.bitsPerWeight())
                        + " bits per weight)"
                : "ggml " + t.name() + " (plain " + (int) t.bitsPerWeight() + "-bit floats)";
    }

    /**
     * {@code %.4g} of a bits-per-weight figure: the registry builds every provider at start-up, and a cold
     * {@code String.format("%g")} per provider cost milliseconds. Values in [1, 99.99) that are multiples of 1/256 (all
     * ggml types) round half up here exactly as the formatter does; others go to the formatter.
     */
    static String fourDigits(double v) {
        double scaled = v * 256;
        if (v < 1 || v >= 99.99 || scaled != Math.rint(scaled)) { // 99.99 and up would round to 100.00
            return String.format(Locale.ROOT, "%.4g", v);
        }
        int decimals = v < 10 ? 3 : 2;
        long units = Math.round(v * (decimals == 3 ? 1000 : 100)); // exact: v * 10^d is a multiple of 1/256 < 2^53
        String digits = Long.toString(units);
        int point = digits.length() - decimals;
        return digits.substring(0, point) + "." + digits.substring(point);
    }

    private static Capability[] capabilities(RowCodec codec) {
        List<Capability> caps = new ArrayList<>(List.of(Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT,
                Capability.GGML_EXACT));
        if (codec.usesImportance()) {
            caps.add(Capability.USES_CALIBRATION);
        }
        return caps.toArray(Capability[]::new);
    }
}
