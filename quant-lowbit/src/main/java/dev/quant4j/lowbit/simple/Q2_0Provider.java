package dev.quant4j.lowbit.simple;

import static dev.quant4j.api.spi.Capability.DEQUANTIZE;
import static dev.quant4j.api.spi.Capability.GGML_EXACT;
import static dev.quant4j.api.spi.Capability.ROW_INDEPENDENT;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Q2_0 2-bit codes with a max-magnitude scale per 64, 2.25 bpw: spec/quant-types.md §10; importance ignored; byte-exact. */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class Q2_0Provider extends NoOptionsQuantizerProvider {
    public Q2_0Provider() {
        super(DType.Q2_0.lowerName(), "Q2_0 2-bit (group 64), 2.25 bpw", Q2_0Quantizer::new, DEQUANTIZE,
                ROW_INDEPENDENT, GGML_EXACT);
    }
}
