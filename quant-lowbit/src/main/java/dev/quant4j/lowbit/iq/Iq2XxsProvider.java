package dev.quant4j.lowbit.iq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Provider of {@code iq2_xxs}: 2.06 bpw codebook quants (importance matrix required). */
@AutoService(QuantizerProvider.class)
public final class Iq2XxsProvider extends IqProvider {
    public Iq2XxsProvider() {
        super(DType.IQ2_XXS, "IQ2_XXS: 2.06 bpw codebook quants (importance matrix required)", true, Iq2XxsQuantizer::new);
    }
}
