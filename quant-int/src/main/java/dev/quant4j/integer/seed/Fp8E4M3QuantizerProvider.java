package dev.quant4j.integer.seed;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.kernels.Fp8;

/** {@code fp8_e4m3}: OCP FP8 E4M3FN (bias 7, max 448, no infinities), saturating. */
@AutoService(QuantizerProvider.class)
public final class Fp8E4M3QuantizerProvider extends Fp8QuantizerProvider {
    public Fp8E4M3QuantizerProvider() {
        super("fp8_e4m3", Fp8.E4M3FN, "FP8 E4M3FN (OCP, max 448, saturating) with F32 scales");
    }
}
