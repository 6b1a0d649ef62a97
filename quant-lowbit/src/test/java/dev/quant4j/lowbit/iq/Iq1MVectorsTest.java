package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

/** Every case of shared/vectors/IQ1_M byte-exact, dequantization bit-exact. */
class Iq1MVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ1_M";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq1MProvider().create(new NoOptions());
    }
}
