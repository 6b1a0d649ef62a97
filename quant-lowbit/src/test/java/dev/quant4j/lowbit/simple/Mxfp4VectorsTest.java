package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Mxfp4VectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "MXFP4";
    }

    @Override
    protected Quantizer quantizer() {
        return new Mxfp4Provider().create(new NoOptions());
    }
}
