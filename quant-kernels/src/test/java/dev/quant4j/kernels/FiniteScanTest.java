package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.vector.VectorFiniteScan;
import org.junit.jupiter.api.Test;

/** The vectorized finite scan must find exactly the value the scalar loop finds. */
class FiniteScanTest {
    private static final float[] BAD = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0xFFC00001)};

    @Test
    void findsTheFirstNonFiniteValueAnywhere() {
        for (int count = 0; count < 70; count++) {
            float[] x = new float[count + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = i % 3 == 0 ? Float.MAX_VALUE : i % 3 == 1 ? -Float.MIN_VALUE : -0f;
            }
            // values outside the range are not looked at
            x[0] = Float.NaN;
            x[x.length - 1] = Float.POSITIVE_INFINITY;
            assertEquals(-1, FiniteScan.firstNonFinite(x, 2, count), "finite extremes, count " + count);
            assertTrue(VectorFiniteScan.allFinite(x, 2, count));
            for (int at = 0; at < count; at++) {
                float[] y = x.clone();
                y[2 + at] = BAD[at % BAD.length];
                if (at + 1 < count) {
                    y[3 + at] = Float.NaN;
                }
                assertEquals(2 + at, FiniteScan.firstNonFinite(y, 2, count), "count " + count + " at " + at);
                assertEquals(2 + at, FiniteScan.scalar(y, 2, count));
                assertFalse(VectorFiniteScan.allFinite(y, 2, count));
            }
        }
    }
}
