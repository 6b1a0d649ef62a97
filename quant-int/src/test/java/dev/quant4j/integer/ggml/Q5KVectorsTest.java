package dev.quant4j.integer.ggml;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Q5KVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "Q5_K";
    }

    @Override
    protected Quantizer quantizer() {
        return new GgmlProviders.Q5_K().create(new NoOptions());
    }
}
