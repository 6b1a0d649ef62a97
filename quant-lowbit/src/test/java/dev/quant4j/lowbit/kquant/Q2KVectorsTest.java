package dev.quant4j.lowbit.kquant;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Q2KVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "Q2_K";
    }

    @Override
    protected Quantizer quantizer() {
        return new Q2KProvider().create(new NoOptions());
    }
}
