package dev.quant4j.kernels.gptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.Vectorization;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector rank update against the scalar oracle and a double-precision sum; the threaded, blocked
 * factorisation against the one-thread one; the solver's sweep with the vector kernel against the scalar kernel.
 */
class RankUpdateTest {
    @Test
    void vectorMatchesScalarAndExactOnAwkwardShapes() {
        assertTrue(Vectorization.enabled(), "tests run with --add-modules jdk.incubator.vector");
        Random rnd = new Random(11);
        int[][] shapes = {{1, 1}, {1, 17}, {3, 5}, {4, 16}, {5, 33}, {7, 100}, {128, 512}, {129, 513}, {64, 3}};
        for (int[] s : shapes) {
            int k = s[0];
            int n = s[1];
            int stride = n + 5;
            float[] u = random(rnd, k * stride + 3);
            float[] e = random(rnd, k + 2);
            e[Math.min(1, k)] = 0f; // a zero error is skipped by the scalar form, not by the vector one
            float[] w = random(rnd, n + 4);
            float[] scalar = w.clone();
            float[] vector = w.clone();
            RankUpdate.scalar().update(scalar, 2, e, 1, k, u, 3, stride, n);
            RankUpdate.create().update(vector, 2, e, 1, k, u, 3, stride, n);
            for (int c = 0; c < n; c++) {
                double exact = w[2 + c];
                for (int i = 0; i < k; i++) {
                    exact -= (double) e[1 + i] * u[3 + i * stride + c];
                }
                double tol = 2e-6 * Math.sqrt(k + 1);
                assertEquals(exact, scalar[2 + c], tol, "scalar k" + k + " n" + n + " c" + c);
                assertEquals(scalar[2 + c], vector[2 + c], tol, "vector k" + k + " n" + n + " c" + c);
            }
            assertEquals(w[0], vector[0]);
            assertEquals(w[1], vector[1]);
            assertEquals(w[n + 2], vector[n + 2], "past the end untouched");
        }
    }

    @Test
    void threadedBlockedFactorisationEqualsOneThread() {
        int n = 300; // above the threading threshold, not a multiple of the panel
        double[] a = GptqSolverTest.spd(n, new Random(12));
        double[] one = Cholesky.upperOfInverse(a, n, 1);
        double[] four = Cholesky.upperOfInverse(a, n, 4);
        assertArrayEquals(one, four, "rows and columns are computed the same whichever thread runs them");
        double[] inv = Cholesky.inverse(a, n);
        for (int i = 0; i < n; i += 37) {
            for (int j = i; j < n; j += 41) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += four[k * n + i] * four[k * n + j];
                }
                assertEquals(inv[i * n + j], s, 1e-9 * Math.max(1, Math.abs(inv[i * n + j])), "UᵀU = A⁻¹ at " + i + "," + j);
            }
        }
    }

    @Test
    void sweepWithVectorKernelMatchesTheScalarOracle() {
        Random rnd = new Random(13);
        int rows = 5;
        int cols = 768;
        float[] x = GptqSolverTest.correlatedInputs(1024, cols, rnd);
        double[] h = GptqSolverTest.hessian(x, 1024, cols);
        float[] w = GptqSolverTest.randomWeights(rows, cols, rnd);
        GptqSolver solver = GptqSolver.prepare(h, cols, 32, GptqConfig.defaults());
        float[] scalar = w.clone();
        float[] vector = w.clone();
        solver.withKernel(RankUpdate.scalar()).sweep(scalar, rows, GptqSolverTest.ABSMAX4);
        solver.sweep(vector, rows, GptqSolverTest.ABSMAX4);
        // float rounding of the feedback may move a value across a rounding boundary of the 4-bit grid, which
        // then changes later feedback a little: compare the output error, not the bits
        double es = GptqSolverTest.outputError(w, scalar, x, rows, cols, 1024);
        double ev = GptqSolverTest.outputError(w, vector, x, rows, cols, 1024);
        assertEquals(es, ev, 0.01 * es, "output error scalar " + es + " vs vector " + ev);
        int differ = 0;
        for (int i = 0; i < w.length; i++) {
            differ += Math.abs(scalar[i] - vector[i]) > 1e-4f ? 1 : 0;
        }
        assertTrue(differ < w.length / 50, differ + " of " + w.length + " values differ");
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }
}
