package com.example.quant;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.tck.GgmlReferenceVectorsTestCase;

/** Byte-for-byte llama.cpp's Q8_0 on its reference vectors (the conformance subset bundled in quant-tck). */
class ExampleQ8VectorsTest extends GgmlReferenceVectorsTestCase {
    @Override
    protected String vectorType() {
        return "Q8_0";
    }

    @Override
    protected Quantizer quantizer() {
        return new ExampleQ8Provider().create(new NoOptions());
    }
}
