package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

/** Every case of shared/vectors/IQ1_S byte-exact, dequantization bit-exact. */
class Iq1SVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ1_S";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq1SProvider().create(new NoOptions());
    }
}
