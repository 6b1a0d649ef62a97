package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Iq4XsVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ4_XS";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq4XsProvider().create(new NoOptions());
    }
}
