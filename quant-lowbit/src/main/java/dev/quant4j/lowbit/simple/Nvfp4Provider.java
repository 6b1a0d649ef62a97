package dev.quant4j.lowbit.simple;

import static dev.quant4j.api.spi.Capability.DEQUANTIZE;
import static dev.quant4j.api.spi.Capability.GGML_EXACT;
import static dev.quant4j.api.spi.Capability.ROW_INDEPENDENT;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** NVFP4 (E2M1 + unsigned E4M3 per 16), 4.5 bpw: spec/quant-types.md §10; importance ignored; byte-exact. */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class Nvfp4Provider extends NoOptionsQuantizerProvider {
    public Nvfp4Provider() {
        super(DType.NVFP4.lowerName(), "NVFP4 (E2M1 + UE4M3 per 16), 4.5 bpw",
                Nvfp4Quantizer::new, DEQUANTIZE, ROW_INDEPENDENT, GGML_EXACT);
    }
}
