package dev.quant4j.integer.seed;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.kernels.Fp8;

/** {@code fp8_e5m2}: OCP FP8 E5M2 (IEEE-like, bias 15, max 57344), saturating. */
@AutoService(QuantizerProvider.class)
public final class Fp8E5M2QuantizerProvider extends Fp8QuantizerProvider {
    public Fp8E5M2QuantizerProvider() {
        super("fp8_e5m2", Fp8.E5M2, "FP8 E5M2 (OCP, IEEE-like, max 57344, saturating) with F32 scales");
    }
}
