package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector tile kernel against the scalar oracle, and the oracle against a double-precision sum. */
class MatTileOracleTest {
    /** Uniform in [-1, 1). */
    static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    @Test
    void vectorMatchesScalarOnAwkwardShapes() {
        assertTrue(Vectorization.enabled(), "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {3, 7, 1}, {4, 16, 2}, {5, 33, 3}, {9, 64, 5}, {16, 172, 8}, {13, 257, 7},
            {17, 40, 5}, {37, 100, 9}, {64, 768, 6}, {80, 64, 1}, {48, 33, 4}, {128, 600, 13}, {96, 300, 7},
            {130, 520, 12}, {32, 257, 6}, {64, 2100, 7}, {32, 1030, 6}};
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1], tokens = s[2];
            float[] w = random(r, rows * cols);
            float[] x = random(r, tokens * cols);
            int stride = rows + 3;
            float[] expected = new float[2 + tokens * stride];
            float[] actual = new float[2 + tokens * stride];
            for (int t = 0; t < tokens; t++) { // stale outputs of an earlier call must not leak into the sums
                java.util.Arrays.fill(actual, 2 + t * stride, 2 + t * stride + rows, Float.NaN);
            }
            MatTile.scalar().multiply(w, rows, cols, x, tokens, expected, 2, stride);
            MatTile.create().multiply(w, rows, cols, x, tokens, actual, 2, stride);
            for (int t = 0; t < tokens; t++) {
                for (int j = 0; j < rows; j++) {
                    double exact = 0;
                    for (int k = 0; k < cols; k++) {
                        exact += (double) w[j * cols + k] * x[t * cols + k];
                    }
                    int o = 2 + t * stride + j;
                    double tol = 1e-5 * Math.sqrt(cols);
                    assertEquals(exact, expected[o], tol, "scalar " + s[0] + "x" + s[1] + " t" + t + " r" + j);
                    assertEquals(expected[o], actual[o], tol, "vector " + s[0] + "x" + s[1] + " t" + t + " r" + j);
                }
                for (int j = rows; j < stride && t * stride + j + 2 < actual.length; j++) {
                    assertEquals(0f, actual[2 + t * stride + j], "gap untouched");
                }
            }
        }
    }

    /**
     * A token's outputs do not depend on where it sits in the batch or on what an earlier call left in the reused
     * scratch: every output is summed in the same order (bit-identical results whatever the thread count or
     * micro-batch split).
     */
    @Test
    void resultIsIndependentOfBatchPositionAndScratchReuse() {
        SplittableRandom r = new SplittableRandom(11);
        int rows = 96, cols = 2100; // three column blocks
        float[] w = random(r, rows * cols);
        float[] x = random(r, 13 * cols);
        MatTile k = MatTile.create();
        float[] scratch = new float[k.scratchFloats(rows, cols)];
        java.util.Arrays.fill(scratch, Float.NaN);
        float[] all = new float[13 * rows];
        k.multiply(w, rows, cols, x, 13, all, 0, rows, scratch);
        float[] tail = new float[5 * rows];
        k.multiply(w, rows, cols, java.util.Arrays.copyOfRange(x, 8 * cols, 13 * cols), 5, tail, 0, rows, scratch);
        for (int i = 0; i < tail.length; i++) {
            assertEquals(all[8 * rows + i], tail[i], 0f, "element " + i);
        }
    }

    @Test
    void dotAgrees() {
        SplittableRandom r = new SplittableRandom(3);
        float[] a = random(r, 300), b = random(r, 300);
        for (int n : new int[] {0, 1, 15, 16, 17, 100, 290}) {
            double exact = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) a[5 + i] * b[3 + i];
            }
            assertEquals(exact, MatTile.scalar().dot(a, 5, b, 3, n), 1e-4);
            assertEquals(exact, MatTile.create().dot(a, 5, b, 3, n), 1e-4);
        }
    }
}
