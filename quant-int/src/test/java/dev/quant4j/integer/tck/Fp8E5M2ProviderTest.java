package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class Fp8E5M2ProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.integer.seed.Fp8E5M2QuantizerProvider(); }
    // E5M2 keeps 2 mantissa bits: relative error up to 2^-3 per value, about 0.06 RMS on Gaussian data
    @Override protected double maxRelativeRmse() { return 0.08; }
}
