package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Iq4NlVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ4_NL";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq4NlProvider().create(new NoOptions());
    }
}
