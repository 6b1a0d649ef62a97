package dev.quant4j.lowbit.iq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Provider of {@code iq3_s}: 3.44 bpw codebook quants. */
@AutoService(QuantizerProvider.class)
public final class Iq3SProvider extends IqProvider {
    public Iq3SProvider() {
        super(DType.IQ3_S, "IQ3_S: 3.44 bpw codebook quants", false, Iq3SQuantizer::new);
    }
}
