package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast Walsh–Hadamard transform against the definition H[i][j] = (−1)^popcount(i & j) / √n. */
class HadamardOracleTest {
    @Test
    void scalarMatchesDefinitionAndVectorMatchesScalarBitForBit() {
        assertTrue(Vectorization.enabled(), "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 4, 8, 16, 32, 64, 256, 1024}) {
            float[] v = new float[n + 5];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 3);
            }
            double[] want = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += (Integer.bitCount(i & j) % 2 == 0 ? 1 : -1) * (double) v[3 + j];
                }
                want[i] = s / Math.sqrt(n);
            }
            float[] a = v.clone();
            float[] b = v.clone();
            Hadamard.scalar().transform(a, 3, n);
            Hadamard.create().transform(b, 3, n);
            for (int i = 0; i < n; i++) {
                assertEquals(want[i], a[3 + i], 1e-5 * Math.sqrt(n), "n " + n + " element " + i);
            }
            assertArrayEquals(a, b, "vector vs scalar, n " + n);
            assertEquals(v[0], a[0]); // outside the range: untouched
            assertEquals(v[n + 4], a[n + 4]);
        }
    }

    @Test
    void isItsOwnInverse() {
        float[] v = {1, -2, 3.5f, 0.25f, 7, 0, -1, 2};
        float[] w = v.clone();
        Hadamard.create().transform(w, 0, 8);
        Hadamard.create().transform(w, 0, 8);
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], w[i], 1e-6f);
        }
    }

    @Test
    void refusesLengthsThatAreNotPowersOfTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hadamard.create().transform(new float[12], 0, 12));
        assertTrue(e.getMessage().contains("12"), e.getMessage());
    }
}
