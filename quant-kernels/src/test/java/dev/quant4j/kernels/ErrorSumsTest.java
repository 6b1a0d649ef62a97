package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.kernels.vector.VectorErrorSums;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The error sums against hand-computed totals, and the vector form against the scalar one. */
class ErrorSumsTest {
    @Test
    void sumsSmallIntegersExactlyInEveryForm() {
        // integer values: every square and partial sum is exact, so all forms and orders agree to the bit
        for (int n = 0; n < 70; n++) {
            float[] a = new float[n + 5];
            float[] r = new float[n + 3];
            double err = 0;
            double sig = 0;
            for (int i = 0; i < n; i++) {
                a[5 + i] = i % 7 - 3;
                r[3 + i] = a[5 + i] + (i % 3 - 1) * (i % 5);
                err += Math.pow((i % 3 - 1) * (i % 5), 2);
                sig += Math.pow(i % 7 - 3, 2);
            }
            for (int form = 0; form < 3; form++) {
                double[] sums = {1, 2}; // added to, not overwritten
                switch (form) {
                    case 0 -> ErrorSums.scalar(a, 5, r, 3, n, sums);
                    case 1 -> VectorErrorSums.add(a, 5, r, 3, n, sums);
                    default -> ErrorSums.add(a, 5, r, 3, n, sums);
                }
                assertEquals(1 + err, sums[0], 0.0, "n " + n + " form " + form);
                assertEquals(2 + sig, sums[1], 0.0, "n " + n + " form " + form);
            }
        }
    }

    @Test
    void vectorFormMatchesTheScalarOneUpToTheOrderOfAdditions() {
        Random rnd = new Random(15);
        for (int n : new int[] {1, 31, 256, 4096, 4099}) {
            float[] a = new float[n];
            float[] r = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) rnd.nextGaussian();
                r[i] = a[i] + (float) (rnd.nextGaussian() * 1e-3);
            }
            double[] s = new double[2];
            double[] v = new double[2];
            ErrorSums.scalar(a, 0, r, 0, n, s);
            VectorErrorSums.add(a, 0, r, 0, n, v);
            assertEquals(s[0], v[0], s[0] * 1e-12, "error, n " + n);
            assertEquals(s[1], v[1], s[1] * 1e-12, "signal, n " + n);
        }
    }
}
