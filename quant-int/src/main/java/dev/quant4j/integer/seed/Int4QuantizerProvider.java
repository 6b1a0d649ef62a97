package dev.quant4j.integer.seed;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.QuantizerProvider;

/** {@code int4}: asymmetric group-wise 4-bit codes with an F32 scale and min per group ({@link Int4Quantizer}). */
@AutoService(QuantizerProvider.class)
public final class Int4QuantizerProvider implements QuantizerProvider<Int4Options> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "int4",
            "INT4 asymmetric group-wise (F32 scale and min per group)", Capability.DEQUANTIZE,
            Capability.ROW_INDEPENDENT);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<Int4Options> optionsType() {
        return Int4Options.class;
    }

    @Override
    public Int4Quantizer create(Int4Options options) {
        return new Int4Quantizer(options);
    }
}
