package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

/** Every case of shared/vectors/IQ2_XXS byte-exact, dequantization bit-exact. */
class Iq2XxsVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ2_XXS";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq2XxsProvider().create(new NoOptions());
    }
}
