package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class Int4ProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.integer.seed.Int4QuantizerProvider(); }
    // 4-bit codes (16 levels, relative RMSE ~0.08 on Gaussian groups); the two F32 group constants raise bpw to 6
    @Override protected double maxRelativeRmse() { return 0.1; }
}
