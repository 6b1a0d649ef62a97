package dev.quant4j.lowbit.simple;

import static dev.quant4j.api.spi.Capability.DEQUANTIZE;
import static dev.quant4j.api.spi.Capability.GGML_EXACT;
import static dev.quant4j.api.spi.Capability.ROW_INDEPENDENT;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** MXFP4 (E2M1 + E8M0), 4.25 bpw: spec/quant-types.md §7; importance ignored; byte-identical to llama.cpp. */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class Mxfp4Provider extends NoOptionsQuantizerProvider {
    public Mxfp4Provider() {
        super(DType.MXFP4.lowerName(), "MXFP4 (E2M1 + E8M0), 4.25 bpw",
                Mxfp4Quantizer::new, DEQUANTIZE, ROW_INDEPENDENT, GGML_EXACT);
    }
}
