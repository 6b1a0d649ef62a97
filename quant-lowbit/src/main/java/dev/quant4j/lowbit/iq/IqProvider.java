package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import java.util.function.Supplier;

/**
 * Shared provider of the IQ codebook quantizers: named after the ggml type, no options, byte-exact with
 * llama.cpp, row independent; either requiring or merely using an importance matrix.
 */
abstract sealed class IqProvider extends NoOptionsQuantizerProvider
        permits Iq2XxsProvider, Iq2XsProvider, Iq2SProvider, Iq3XxsProvider, Iq3SProvider, Iq1SProvider,
        Iq1MProvider {
    IqProvider(DType type, String displayName, boolean requiresImportance, Supplier<Quantizer> factory) {
        super(type.lowerName(), displayName, factory, Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT,
                Capability.GGML_EXACT, requiresImportance ? Capability.REQUIRES_CALIBRATION : Capability.USES_CALIBRATION);
    }
}
