package dev.quant4j.lowbit.simple;

import static dev.quant4j.api.spi.Capability.DEQUANTIZE;
import static dev.quant4j.api.spi.Capability.GGML_EXACT;
import static dev.quant4j.api.spi.Capability.ROW_INDEPENDENT;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** TQ1_0 ternary, 1.69 bpw: spec/quant-types.md §6.1; importance ignored; byte-identical to llama.cpp. */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class Tq1_0Provider extends NoOptionsQuantizerProvider {
    public Tq1_0Provider() {
        super(DType.TQ1_0.lowerName(), "TQ1_0 ternary, 1.69 bpw",
                () -> new TernaryQuantizer(DType.TQ1_0), DEQUANTIZE, ROW_INDEPENDENT, GGML_EXACT);
    }
}
