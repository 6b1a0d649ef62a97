package dev.quant4j.integer.ggml;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Q50VectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "Q5_0";
    }

    @Override
    protected Quantizer quantizer() {
        return new GgmlProviders.Q5_0().create(new NoOptions());
    }
}
