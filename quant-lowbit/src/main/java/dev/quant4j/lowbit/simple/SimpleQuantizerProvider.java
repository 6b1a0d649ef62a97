package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/**
 * Provider of a ggml type whose quantizer takes no options: named after the type, one shared stateless
 * (hence thread-safe) quantizer instance. Subclasses only name the type, the quantizer and the capabilities.
 */
public abstract class SimpleQuantizerProvider implements QuantizerProvider<NoOptions> {
    private final ProviderDescriptor descriptor;
    private final Quantizer quantizer;

    protected SimpleQuantizerProvider(DType type, String displayName, Quantizer quantizer, Capability... caps) {
        this.descriptor = ProviderDescriptor.of(getClass(), type.lowerName(), displayName, caps);
        this.quantizer = quantizer;
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
        return quantizer;
    }
}
