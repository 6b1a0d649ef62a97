package dev.quant4j.lowbit.tck;

import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.lowbit.kquant.Q2KProvider;
import dev.quant4j.tck.QuantizerProviderTestCase;

class Q2KProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new Q2KProvider(); }
}
