package dev.quant4j.lowbit.simple;

import static dev.quant4j.api.spi.Capability.DEQUANTIZE;
import static dev.quant4j.api.spi.Capability.GGML_EXACT;
import static dev.quant4j.api.spi.Capability.ROW_INDEPENDENT;
import static dev.quant4j.api.spi.Capability.USES_CALIBRATION;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** IQ4_NL non-linear 4-bit, 4.5 bpw: spec/quant-types.md §5.1; importance used when given; byte-identical to llama.cpp. */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService cannot name the generic service type exactly
public final class Iq4NlProvider extends NoOptionsQuantizerProvider {
    public Iq4NlProvider() {
        super(DType.IQ4_NL.lowerName(), "IQ4_NL non-linear 4-bit, 4.5 bpw",
                Iq4NlQuantizer::new, DEQUANTIZE, ROW_INDEPENDENT, GGML_EXACT, USES_CALIBRATION);
    }
}
