package dev.quant4j.lowbit.kquant;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;

/** The ggml Q2_K quantizer (spec/quant-types.md section 4.1), byte-exact with llama.cpp. */
@AutoService(QuantizerProvider.class)
public final class Q2KProvider implements QuantizerProvider<NoOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "q2_k",
            "ggml Q2_K (256-element blocks, 2.625 bits per weight)", Capability.DEQUANTIZE,
            Capability.ROW_INDEPENDENT, Capability.GGML_EXACT, Capability.USES_CALIBRATION);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public Quantizer create(NoOptions options) {
        return new Q2KQuantizer();
    }
}
