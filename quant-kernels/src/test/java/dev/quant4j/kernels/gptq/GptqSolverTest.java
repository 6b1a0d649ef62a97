package dev.quant4j.kernels.gptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GptqSolverTest {
    /** A stand-in type: symmetric 4-bit per block of {@code width}, absmax scale (row-independent like ggml's). */
    static final BlockRounder ABSMAX4 = (block, rows, width, first, out) -> {
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int i = 0; i < width; i++) {
                max = Math.max(max, Math.abs(block[r * width + i]));
            }
            float d = max / 7f;
            for (int i = 0; i < width; i++) {
                out[r * width + i] = d == 0 ? 0 : Math.round(block[r * width + i] / d) * d;
            }
        }
    };

    @Test
    void choleskyOfHandWorkedMatrix() {
        // [[4,2],[2,3]] = L Lᵀ with L = [[2,0],[1,√2]]; inverse = 1/8 [[3,-2],[-2,4]]
        double[] a = {4, 2, 2, 3};
        assertArrayEquals(new double[] {2, 0, 1, Math.sqrt(2)}, Cholesky.lower(a, 2), 1e-15);
        assertArrayEquals(new double[] {3 / 8.0, -2 / 8.0, -2 / 8.0, 4 / 8.0}, Cholesky.inverse(a, 2), 1e-15);
        // upper factor of the inverse: U = [[u00,u01],[0,u11]], UᵀU = inv → u00² = 3/8, u00·u01 = -1/4, u01²+u11² = 1/2
        double[] u = Cholesky.upperOfInverse(a, 2);
        double u00 = Math.sqrt(3 / 8.0);
        double u01 = -0.25 / u00;
        assertArrayEquals(new double[] {u00, u01, 0, Math.sqrt(0.5 - u01 * u01)}, u, 1e-15);
    }

    @Test
    void inverseOfRandomSpdMatrixIsTheInverse() {
        int n = 9;
        double[] a = spd(n, new Random(1));
        double[] inv = Cholesky.inverse(a, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * inv[k * n + j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-10, "(A·A⁻¹)[" + i + "][" + j + "]");
            }
        }
        double[] u = Cholesky.upperOfInverse(a, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i > j) {
                    assertEquals(0, u[i * n + j], "U is upper-triangular");
                }
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += u[k * n + i] * u[k * n + j];
                }
                assertEquals(inv[i * n + j], s, 1e-10, "UᵀU = A⁻¹");
            }
        }
    }

    @Test
    void notPositiveDefiniteIsRefusedNamingTheColumn() {
        var e = assertThrows(IllegalArgumentException.class, () -> Cholesky.lower(new double[] {1, 2, 2, 1}, 2));
        assertTrue(e.getMessage().contains("column 1"), e.getMessage());
    }

    @Test
    void diagonalHessianFeedsNothingBack() {
        int rows = 5;
        int cols = 96;
        float[] w = randomWeights(rows, cols, new Random(2));
        double[] h = new double[cols * cols];
        for (int j = 0; j < cols; j++) {
            h[j * cols + j] = 0.5 + j % 7;
        }
        for (boolean actOrder : new boolean[] {false, true}) {
            float[] copy = w.clone();
            GptqSolver.prepare(h, cols, 32, new GptqConfig(0.01, 128, actOrder)).sweep(copy, rows, ABSMAX4);
            assertArrayEquals(w, copy, "act-order " + actOrder);
        }
    }

    @Test
    void reducesLayerOutputErrorOnCorrelatedInputs() {
        Random rnd = new Random(3);
        int rows = 32;
        int cols = 128;
        int tokens = 1024;
        float[] x = correlatedInputs(tokens, cols, rnd);
        double[] h = hessian(x, tokens, cols);
        float[] w = randomWeights(rows, cols, rnd);
        double rtn = outputError(w, rtn(w, rows, cols), x, rows, cols, tokens);
        for (boolean actOrder : new boolean[] {false, true}) {
            float[] adjusted = w.clone();
            GptqSolver.prepare(h, cols, 32, new GptqConfig(0.01, 128, actOrder)).sweep(adjusted, rows, ABSMAX4);
            double gptq = outputError(w, rtn(adjusted, rows, cols), x, rows, cols, tokens);
            assertTrue(gptq < 0.8 * rtn, "act-order " + actOrder + ": ‖WX−ŴX‖² GPTQ " + gptq + " vs RTN " + rtn);
        }
    }

    @Test
    void lazyBatchSizeDoesNotChangeTheResult() {
        Random rnd = new Random(4);
        int rows = 8;
        int cols = 256;
        float[] x = correlatedInputs(512, cols, rnd);
        double[] h = hessian(x, 512, cols);
        float[] w = randomWeights(rows, cols, rnd);
        float[] a = w.clone();
        float[] b = w.clone();
        GptqSolver.prepare(h, cols, 32, new GptqConfig(0.01, 32, false)).sweep(a, rows, ABSMAX4);
        GptqSolver.prepare(h, cols, 32, new GptqConfig(0.01, 256, false)).sweep(b, rows, ABSMAX4);
        assertArrayEquals(a, b, 2e-4f);
    }

    @Test
    void deadColumnsAreZeroedAndDoNotBreakTheFactorisation() {
        Random rnd = new Random(5);
        int rows = 4;
        int cols = 64;
        float[] x = correlatedInputs(256, cols, rnd);
        for (int t = 0; t < 256; t++) {
            x[t * cols + 10] = 0; // a column that never sees input
        }
        double[] h = hessian(x, 256, cols);
        assertEquals(0, h[10 * cols + 10]);
        float[] w = randomWeights(rows, cols, rnd);
        GptqSolver.prepare(h, cols, 32, GptqConfig.defaults()).sweep(w, rows, ABSMAX4);
        for (int r = 0; r < rows; r++) {
            assertEquals(0f, w[r * cols + 10], "row " + r);
        }
    }

    @Test
    void dampeningMakesRankDeficientHessiansSolvable() {
        Random rnd = new Random(6);
        int cols = 64;
        float[] x = correlatedInputs(16, cols, rnd); // 16 tokens: rank 16 < 64, but every diagonal entry > 0
        double[] h = hessian(x, 16, cols);
        assertThrows(IllegalArgumentException.class,
                () -> GptqSolver.prepare(h, cols, 32, new GptqConfig(0, 128, false)));
        float[] w = randomWeights(2, cols, rnd);
        GptqSolver.prepare(h, cols, 32, GptqConfig.defaults()).sweep(w, 2, ABSMAX4);
        for (float v : w) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void rowsAreIndependent() {
        Random rnd = new Random(7);
        int rows = 6;
        int cols = 64;
        double[] h = hessian(correlatedInputs(300, cols, rnd), 300, cols);
        float[] w = randomWeights(rows, cols, rnd);
        GptqSolver s = GptqSolver.prepare(h, cols, 32, GptqConfig.defaults());
        float[] all = w.clone();
        s.sweep(all, rows, ABSMAX4);
        float[] tail = java.util.Arrays.copyOfRange(w, 2 * cols, rows * cols);
        s.sweep(tail, rows - 2, ABSMAX4);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 2 * cols, rows * cols), tail);
    }

    private static float[] rtn(float[] w, int rows, int cols) {
        float[] q = new float[w.length];
        float[] block = new float[32];
        float[] out = new float[32];
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < cols; b += 32) {
                System.arraycopy(w, r * cols + b, block, 0, 32);
                ABSMAX4.round(block, 1, 32, b, out);
                System.arraycopy(out, 0, q, r * cols + b, 32);
            }
        }
        return q;
    }

    static double outputError(float[] w, float[] q, float[] x, int rows, int cols, int tokens) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < tokens; t++) {
                double d = 0;
                for (int c = 0; c < cols; c++) {
                    d += (double) (w[r * cols + c] - q[r * cols + c]) * x[t * cols + c];
                }
                sum += d * d;
            }
        }
        return sum;
    }

    /** Inputs mixed through a random matrix plus a shared component: strongly correlated columns. */
    static float[] correlatedInputs(int tokens, int cols, Random rnd) {
        float[] mix = new float[cols * cols];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (float) rnd.nextGaussian() / (float) Math.sqrt(cols);
        }
        float[] x = new float[tokens * cols];
        float[] z = new float[cols];
        for (int t = 0; t < tokens; t++) {
            double shared = rnd.nextGaussian();
            for (int i = 0; i < cols; i++) {
                z[i] = (float) rnd.nextGaussian();
            }
            for (int c = 0; c < cols; c++) {
                double s = shared;
                for (int i = 0; i < cols; i++) {
                    s += z[i] * mix[i * cols + c];
                }
                x[t * cols + c] = (float) s;
            }
        }
        return x;
    }

    static double[] hessian(float[] x, int tokens, int cols) {
        double[] h = new double[cols * cols];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < cols; i++) {
                for (int j = 0; j < cols; j++) {
                    h[i * cols + j] += 2.0 / tokens * x[t * cols + i] * x[t * cols + j];
                }
            }
        }
        return h;
    }

    static float[] randomWeights(int rows, int cols, Random rnd) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.05 * rnd.nextGaussian());
        }
        return w;
    }

    static double[] spd(int n, Random rnd) {
        double[] m = new double[n * n];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 0.5 : 0;
                for (int k = 0; k < n; k++) {
                    s += m[i * n + k] * m[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }
}
