package dev.quant4j.lowbit.simple;

import static dev.quant4j.api.spi.Capability.DEQUANTIZE;
import static dev.quant4j.api.spi.Capability.GGML_EXACT;
import static dev.quant4j.api.spi.Capability.ROW_INDEPENDENT;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** TQ2_0 ternary, 2.06 bpw: spec/quant-types.md §6.2; importance ignored; byte-identical to llama.cpp. */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class Tq2_0Provider extends NoOptionsQuantizerProvider {
    public Tq2_0Provider() {
        super(DType.TQ2_0.lowerName(), "TQ2_0 ternary, 2.06 bpw",
                () -> new TernaryQuantizer(DType.TQ2_0), DEQUANTIZE, ROW_INDEPENDENT, GGML_EXACT);
    }
}
