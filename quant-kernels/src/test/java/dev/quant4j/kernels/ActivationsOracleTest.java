package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector softmax and SwiGLU against the scalar oracle and against double-precision formulas. */
class ActivationsOracleTest {
    @Test
    void softmaxMatchesOracleAndDefinition() {
        assertTrue(Vectorization.enabled(), "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(3);
        for (int len : new int[] {1, 7, 16, 33, 100, 512}) {
            for (int valid : new int[] {1, len / 2 + 1, len}) {
                float[] a = new float[len + 3];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (r.nextGaussian() * 20);
                }
                float[] b = a.clone();
                float scale = 0.125f;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < valid; j++) {
                    max = Math.max(max, (double) (a[2 + j] * scale));
                }
                double sum = 0;
                for (int j = 0; j < valid; j++) {
                    sum += Math.exp(a[2 + j] * scale - max);
                }
                double[] exact = new double[valid];
                for (int j = 0; j < valid; j++) {
                    exact[j] = Math.exp(a[2 + j] * scale - max) / sum;
                }
                Activations.scalar().softmax(a, 2, valid, len, scale);
                Activations.create().softmax(b, 2, valid, len, scale);
                for (int j = 0; j < len; j++) {
                    double want = j < valid ? exact[j] : 0;
                    assertEquals(want, a[2 + j], 1e-6 * Math.max(1, want) + 1e-6 * want, "scalar " + len + "/" + j);
                    assertEquals(a[2 + j], b[2 + j], 2e-6 * Math.abs(a[2 + j]) + 1e-12, "vector " + len + "/" + j);
                }
            }
        }
    }

    @Test
    void swigluMatchesOracle() {
        SplittableRandom r = new SplittableRandom(4);
        for (int n : new int[] {1, 15, 16, 17, 300}) {
            float[] g = new float[n], u = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) (r.nextGaussian() * 6);
                u[i] = (float) r.nextGaussian();
            }
            float[] a = g.clone(), b = g.clone();
            Activations.scalar().swiglu(a, u, n);
            Activations.create().swiglu(b, u, n);
            for (int i = 0; i < n; i++) {
                double exact = g[i] / (1 + Math.exp(-g[i])) * u[i];
                assertEquals(exact, a[i], 1e-6 * Math.abs(exact) + 1e-7, "scalar " + i);
                assertEquals(a[i], b[i], 4e-6 * Math.abs(a[i]) + 1e-7, "vector " + i);
            }
        }
    }
}
