package dev.quant4j.integer.ggml;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A quantizer provider for one ggml type, named like the type ({@code q4_k}). Concrete registrations are the
 * one-line subclasses in {@link GgmlProviders}. Every one dequantizes, encodes rows independently and is
 * byte-exact with llama.cpp; those with an imatrix path also declare {@link Capability#USES_CALIBRATION}.
 */
public abstract class GgmlQuantizerProvider implements QuantizerProvider<NoOptions> {
    private final RowCodec codec;
    private final ProviderDescriptor descriptor;

    GgmlQuantizerProvider(RowCodec codec) {
        this.codec = codec;
        DType t = codec.type();
        List<Capability> caps = new ArrayList<>(List.of(Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT,
                Capability.GGML_EXACT));
        if (codec.usesImportance()) {
            caps.add(Capability.USES_CALIBRATION);
        }
        String display = t.isQuantized()
                ? String.format(Locale.ROOT, "ggml %s (%d-element blocks, %.4g bits per weight)",
                        t.name(), t.blockSize(), t.bitsPerWeight())
                : "ggml " + t.name() + " (plain " + (int) t.bitsPerWeight() + "-bit floats)";
        this.descriptor = ProviderDescriptor.of(getClass(), t.lowerName(), display, caps.toArray(Capability[]::new));
    }

    @Override
    public final ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public final Quantizer create(NoOptions options) {
        return new CodecQuantizer(codec);
    }
}
