package dev.quant4j.lowbit.iq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Provider of {@code iq1_m}: 1.75 bpw ternary codebook quants. */
@AutoService(QuantizerProvider.class)
public final class Iq1MProvider extends IqProvider {
    public Iq1MProvider() {
        super(DType.IQ1_M, "IQ1_M: 1.75 bpw ternary codebook quants", false, Iq1MQuantizer::new);
    }
}
