package dev.quant4j.api.spi;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Base of quantizer providers that take no options (every ggml block type): a subclass only names itself,
 * describes itself and says how to make its quantizer. The factory runs on {@link #create}, never when the
 * registry loads, so providers whose quantizers need big lookup tables stay cheap to discover.
 */
public abstract class NoOptionsQuantizerProvider implements QuantizerProvider<NoOptions> {
    private final ProviderDescriptor descriptor;
    private final Supplier<? extends Quantizer> factory;

    protected NoOptionsQuantizerProvider(String name, String displayName, Supplier<? extends Quantizer> factory,
                                         Capability... caps) {
        this.descriptor = ProviderDescriptor.of(getClass(), name, displayName, caps);
        this.factory = Objects.requireNonNull(factory);
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
        return factory.get();
    }
}
