package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

/** Every case of shared/vectors/IQ3_S byte-exact, dequantization bit-exact. */
class Iq3SVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ3_S";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq3SProvider().create(new NoOptions());
    }
}
