package dev.quant4j.lowbit.kquant;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;

/** The ggml Q2_K quantizer (spec/quant-types.md section 4.1), byte-exact with llama.cpp. */
@AutoService(QuantizerProvider.class)
public final class Q2KProvider extends NoOptionsQuantizerProvider {
    public Q2KProvider() {
        super("q2_k", "ggml Q2_K (256-element blocks, 2.625 bits per weight)", Q2KQuantizer::new,
                Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT, Capability.GGML_EXACT, Capability.USES_CALIBRATION);
    }
}
