package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class Int8PerRowProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.integer.seed.Int8QuantizerProvider(); }
    @Override protected Map<String, String> options() { return Map.of("granularity", "per-row"); }
}
