package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class Int8ProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.integer.seed.Int8QuantizerProvider(); }
}
