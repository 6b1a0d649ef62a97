package dev.quant4j.gguf.tck;

import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.gguf.io.GgufFormatProvider;
import dev.quant4j.tck.FormatProviderTestCase;

class GgufFormatProviderTest extends FormatProviderTestCase {
    @Override protected FormatProvider provider() { return new GgufFormatProvider(); }
}
