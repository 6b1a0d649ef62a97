package dev.quant4j.lowbit.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class Tq1_0ProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.lowbit.simple.Tq1_0Provider(); }
    // TQ scales by the block's max |x|: on Gaussian blocks most weights round to 0 (relative RMSE ~0.84)
    @Override protected double maxRelativeRmse() { return 0.9; }
}
