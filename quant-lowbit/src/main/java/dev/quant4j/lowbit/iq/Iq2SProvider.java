package dev.quant4j.lowbit.iq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Provider of {@code iq2_s}: 2.56 bpw codebook quants. */
@AutoService(QuantizerProvider.class)
public final class Iq2SProvider extends IqProvider {
    public Iq2SProvider() {
        super(DType.IQ2_S, "IQ2_S: 2.56 bpw codebook quants", false, Iq2SQuantizer::new);
    }
}
