package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class Fp8E4M3ProviderTest extends QuantizerProviderTestCase {
    @Override protected QuantizerProvider<?> provider() { return new dev.quant4j.integer.seed.Fp8E4M3QuantizerProvider(); }
}
