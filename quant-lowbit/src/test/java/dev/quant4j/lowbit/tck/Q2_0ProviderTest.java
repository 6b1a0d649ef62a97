package dev.quant4j.lowbit.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class Q2_0ProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.lowbit.simple.Q2_0Provider(); }
    // Q2_0 scales by the 64-block's max |x| and writes only -d, 0, +d: on Gaussian blocks most weights round to 0
    // (relative RMSE ~0.71 on llama.cpp's own gauss vectors, see shared/vectors/Q2_0/cases.json)
    @Override protected double maxRelativeRmse() { return 0.8; }
}
