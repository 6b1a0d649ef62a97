package dev.quant4j.lowbit.iq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Provider of {@code iq1_s}: 1.56 bpw ternary codebook quants (importance matrix required). */
@AutoService(QuantizerProvider.class)
public final class Iq1SProvider extends IqProvider {
    public Iq1SProvider() {
        super(DType.IQ1_S, "IQ1_S: 1.56 bpw ternary codebook quants (importance matrix required)", true, Iq1SQuantizer::new);
    }
}
