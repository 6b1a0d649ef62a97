package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import org.junit.jupiter.api.Test;

/** The kit's own sample data does what the checks rely on. */
class SamplesTest {
    @Test
    void halfTypeValuesReadBackIdenticallyFromEveryFloatType() {
        Shape s = Shape.of(512, 16);
        float[] x = Samples.exactInHalfTypes(Samples.weights(s, 3));
        float[] row = new float[512];
        for (DType t : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            TensorView v = Samples.view("t", t, s, x);
            for (int r = 0; r < 16; r++) {
                v.readRow(r, row, 0);
                for (int i = 0; i < 512; i++) {
                    assertEquals(Float.floatToRawIntBits(x[r * 512 + i]), Float.floatToRawIntBits(row[i]),
                            t + " row " + r + " column " + i);
                }
            }
        }
    }

    @Test
    void weightsAreDeterministicPerSeedAndDifferAcrossSeeds() {
        Shape s = Shape.of(64, 4);
        assertTrue(java.util.Arrays.equals(Samples.weights(s, 9), Samples.weights(s, 9)));
        assertTrue(!java.util.Arrays.equals(Samples.weights(s, 9), Samples.weights(s, 10)));
    }

    @Test
    void defaultBoundLoosensAsBitsDrop() {
        double prev = 0;
        for (double bpw : new double[] {32, 16, 8.5, 6.5625, 5.5, 4.5, 3.4375, 2.625, 1.5625}) {
            double b = QuantizerProviderTestCase.defaultRelativeRmseBound(bpw);
            assertTrue(b >= prev && b < 1, bpw + " bits: " + b);
            prev = b;
        }
    }

    @Test
    void servicesFilesParseLikeServiceLoader() {
        assertEquals(java.util.Set.of("a.B", "c.D"), ServiceDeclarations.parse(java.util.List.of(
                "# comment", "", "  a.B  ", "c.D # trailing", "a.B")));
    }
}
