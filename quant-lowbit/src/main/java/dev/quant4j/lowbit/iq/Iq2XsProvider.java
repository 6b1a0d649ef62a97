package dev.quant4j.lowbit.iq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Provider of {@code iq2_xs}: 2.31 bpw codebook quants (importance matrix required). */
@AutoService(QuantizerProvider.class)
public final class Iq2XsProvider extends IqProvider {
    public Iq2XsProvider() {
        super(DType.IQ2_XS, "IQ2_XS: 2.31 bpw codebook quants (importance matrix required)", true, Iq2XsQuantizer::new);
    }
}
