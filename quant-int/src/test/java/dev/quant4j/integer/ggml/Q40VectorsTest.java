package dev.quant4j.integer.ggml;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Q40VectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "Q4_0";
    }

    @Override
    protected Quantizer quantizer() {
        return new GgmlProviders.Q4_0().create(new NoOptions());
    }
}
