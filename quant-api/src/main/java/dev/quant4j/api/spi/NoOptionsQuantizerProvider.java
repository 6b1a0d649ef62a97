package dev.quant4j.api.spi;

import java.util.Objects;

/**
 * Base of quantizer providers that take no options and serve one stateless, thread-safe quantizer (every
 * ggml block type): a subclass only names itself, describes itself and hands over its quantizer.
 */
public abstract class NoOptionsQuantizerProvider implements QuantizerProvider<NoOptions> {
    private final ProviderDescriptor descriptor;
    private final Quantizer quantizer;

    protected NoOptionsQuantizerProvider(String name, String displayName, Quantizer quantizer, Capability... caps) {
        this.descriptor = ProviderDescriptor.of(getClass(), name, displayName, caps);
        this.quantizer = Objects.requireNonNull(quantizer);
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
