package dev.quant4j.lowbit.bitnet;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;

/**
 * {@code bitnet-absmean}: BitNet b1.58 post-training ternary weights in TQ2_0 (or TQ1_0) blocks.
 * The planning options (which tensors, kept precision) are applied through {@link BitnetLayerMask}.
 */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class BitnetAbsmeanProvider implements QuantizerProvider<BitnetOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "bitnet-absmean",
            "BitNet b1.58 absmean ternary (TQ2_0/TQ1_0/IQ1_S layout)", Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT,
            Capability.USES_CALIBRATION);

    /** For ServiceLoader. */
    public BitnetAbsmeanProvider() {
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<BitnetOptions> optionsType() {
        return BitnetOptions.class;
    }

    @Override
    public Quantizer create(BitnetOptions options) {
        return new BitnetAbsmeanQuantizer(options.layout(), options);
    }
}
