package dev.quant4j.lowbit.iq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/** Provider of {@code iq3_xxs}: 3.06 bpw codebook quants. */
@AutoService(QuantizerProvider.class)
public final class Iq3XxsProvider extends IqProvider {
    public Iq3XxsProvider() {
        super(DType.IQ3_XXS, "IQ3_XXS: 3.06 bpw codebook quants", false, Iq3XxsQuantizer::new);
    }
}
