package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class IntServicesTest extends ServiceDeclarationsTestCase {
    @Override protected Class<?> moduleClass() { return dev.quant4j.integer.seed.Int8QuantizerProvider.class; }
}
