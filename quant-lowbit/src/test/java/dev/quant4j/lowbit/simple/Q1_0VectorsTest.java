package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Q1_0VectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "Q1_0";
    }

    @Override
    protected Quantizer quantizer() {
        return new Q1_0Provider().create(new NoOptions());
    }
}
