package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

/** Every case of shared/vectors/IQ2_XS byte-exact, dequantization bit-exact. */
class Iq2XsVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ2_XS";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq2XsProvider().create(new NoOptions());
    }
}
