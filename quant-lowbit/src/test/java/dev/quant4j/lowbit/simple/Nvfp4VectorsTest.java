package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

class Nvfp4VectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "NVFP4";
    }

    @Override
    protected Quantizer quantizer() {
        return new Nvfp4Provider().create(new NoOptions());
    }
}
