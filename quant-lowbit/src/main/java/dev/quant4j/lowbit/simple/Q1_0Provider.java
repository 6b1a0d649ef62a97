package dev.quant4j.lowbit.simple;

import static dev.quant4j.api.spi.Capability.DEQUANTIZE;
import static dev.quant4j.api.spi.Capability.GGML_EXACT;
import static dev.quant4j.api.spi.Capability.ROW_INDEPENDENT;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Q1_0 sign bits with a mean-magnitude scale, 1.125 bpw: spec/quant-types.md §10; importance ignored; byte-exact. */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class Q1_0Provider extends NoOptionsQuantizerProvider {
    public Q1_0Provider() {
        super(DType.Q1_0.lowerName(), "Q1_0 sign bits, 1.125 bpw", Q1_0Quantizer::new, DEQUANTIZE, ROW_INDEPENDENT,
                GGML_EXACT);
    }
}
