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

    private static String displayName(DType t) {
        return t.isQuantized()
                ? String.format(Locale.ROOT, "ggml %s (%d-element blocks, %.4g bits per weight)",
                        t.name(), t.blockSize(), t.bitsPerWeight())
                : "ggml " + t.name() + " (plain " + (int) t.bitsPerWeight() + "-bit floats)";
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
