package dev.quant4j.lowbit.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class BitnetAbsmeanProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.lowbit.bitnet.BitnetAbsmeanProvider(); }
    // absmean ternary: 3 levels scaled by mean |w|, relative RMSE ~0.55 on Gaussian blocks
    @Override protected double maxRelativeRmse() { return 0.7; }
}
