package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

/** Every case of shared/vectors/IQ3_XXS byte-exact, dequantization bit-exact. */
class Iq3XxsVectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "IQ3_XXS";
    }

    @Override
    protected Quantizer quantizer() {
        return new Iq3XxsProvider().create(new NoOptions());
    }
}
