package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import java.util.function.Supplier;

/**
 * Shared provider of the IQ codebook quantizers: named after the ggml type, no options, byte-exact with
 * llama.cpp, row independent; either requiring or merely using an importance matrix.
 */
abstract sealed class IqProvider implements QuantizerProvider<NoOptions>
        permits Iq2XxsProvider, Iq2XsProvider, Iq2SProvider, Iq3XxsProvider, Iq3SProvider, Iq1SProvider,
        Iq1MProvider {
    private final ProviderDescriptor descriptor;
    private final Supplier<Quantizer> factory;

    IqProvider(DType type, String displayName, boolean requiresImportance, Supplier<Quantizer> factory) {
        this.descriptor = ProviderDescriptor.of(getClass(), type.lowerName(), displayName, Capability.DEQUANTIZE,
                Capability.ROW_INDEPENDENT, Capability.GGML_EXACT,
                requiresImportance ? Capability.REQUIRES_CALIBRATION : Capability.USES_CALIBRATION);
        this.factory = factory;
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
