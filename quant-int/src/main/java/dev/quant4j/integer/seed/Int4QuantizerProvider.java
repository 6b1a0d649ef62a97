package dev.quant4j.integer.seed;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.integer.ct.CtArgs;
import dev.quant4j.integer.ct.CtQuantizer;

/**
 * {@code int4}: asymmetric group-wise 4-bit codes with an F32 scale and min per group ({@link Int4Quantizer}); with
 * {@code layout=compressed-tensors} compressed-tensors' W4A16 / W4A16_ASYM weights ({@link CtQuantizer}).
 */
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
    public Quantizer create(Int4Options options) {
        if (options.layout() == CodeLayout.COMPRESSED_TENSORS) {
            return new CtQuantizer(new CtArgs(false, 4, options.symmetric(), options.groupSize(), 0, options.scaleDtype()));
        }
        return new Int4Quantizer(options);
    }
}
