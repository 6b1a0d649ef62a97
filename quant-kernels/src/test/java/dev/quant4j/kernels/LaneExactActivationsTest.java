package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.vector.VectorActivations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The plain-loop form that runs while the JIT compiles the vector one must give its bits exactly: softmax rows and
 * SwiGLU pieces of every length around the lane count, at any offset, with values that reach the exp clamp.
 */
class LaneExactActivationsTest {
    private static final int L = VectorActivations.lanes();
    private final LaneExactActivations exact = new LaneExactActivations(L);

    @Test
    void softmaxIsTheVectorFormBitForBit() {
        assertTrue(Vectorization.enabled(), "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(11);
        for (int valid = 1; valid <= 4 * L + 3; valid++) {
            for (int trial = 0; trial < 20; trial++) {
                int off = r.nextInt(5);
                int len = valid + r.nextInt(3);
                double spread = trial < 5 ? 1 : trial < 15 ? 30 : 400;   // the last ones clamp at -87
                float[] a = new float[off + len + 2];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (r.nextGaussian() * spread);
                }
                float[] b = a.clone();
                float scale = trial % 2 == 0 ? 0.125f : 1f;
                Activations.Vectorized.INSTANCE.softmax(a, off, valid, len, scale);
                exact.softmax(b, off, valid, len, scale);
                assertArrayEquals(a, b, "valid " + valid + ", trial " + trial);
            }
        }
    }

    @Test
    void longRowsAsInAttention() {
        SplittableRandom r = new SplittableRandom(12);
        for (int valid : new int[] {255, 256, 1000, 4096}) {
            float[] a = new float[valid];
            for (int i = 0; i < valid; i++) {
                a[i] = (float) (r.nextGaussian() * 8);
            }
            float[] b = a.clone();
            Activations.Vectorized.INSTANCE.softmax(a, 0, valid, valid, 0.088f);
            exact.softmax(b, 0, valid, valid, 0.088f);
            assertArrayEquals(a, b, "valid " + valid);
        }
    }

    @Test
    void swigluIsTheVectorFormBitForBit() {
        SplittableRandom r = new SplittableRandom(13);
        for (int n = 0; n <= 4 * L + 3; n++) {
            for (int trial = 0; trial < 10; trial++) {
                int from = r.nextInt(2 * L);
                float[] g = new float[from + n + 1];
                float[] u = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (r.nextGaussian() * (trial < 8 ? 6 : 120));   // beyond +-87: the clamp
                    u[i] = (float) r.nextGaussian();
                }
                float[] a = g.clone();
                float[] b = g.clone();
                Activations.Vectorized.INSTANCE.swiglu(a, u, from, from + n);
                exact.swiglu(b, u, from, from + n);
                assertArrayEquals(a, b, "n " + n + ", from " + from);
            }
        }
    }

    @Test
    void expIsTheVectorLaneAtEdges() {
        float[] xs = {0f, -0f, 1f, -1f, 88f, 89f, -87f, -100f, 1e-8f, -1e-8f, 0.34657359f, -0.34657359f, 50.5f,
            Float.MIN_VALUE, Float.NaN};
        float[] g = new float[L * ((xs.length + L - 1) / L)];
        System.arraycopy(xs, 0, g, 0, xs.length);
        float[] u = new float[g.length];
        java.util.Arrays.fill(u, 1f);
        float[] a = g.clone();
        float[] b = g.clone();
        Activations.Vectorized.INSTANCE.swiglu(a, u, 0, g.length);   // all in the vector part: the polynomial exp
        exact.swiglu(b, u, 0, g.length);
        assertArrayEquals(a, b);
        assertEquals((float) Math.E, LaneExactActivations.exp(1f), 2 * Math.ulp((float) Math.E));
    }

    @Test
    void warmingFormGivesTheSameBitsBeforeAndAfterItsWarmUp() {
        SplittableRandom r = new SplittableRandom(14);
        float[] row = new float[300];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (r.nextGaussian() * 10);
        }
        float[] want = row.clone();
        Activations.Vectorized.INSTANCE.softmax(want, 0, 290, 300, 0.125f);
        float[] before = row.clone();
        WarmingActivations.INSTANCE.softmax(before, 0, 290, 300, 0.125f);
        WarmingActivations.INSTANCE.warmUp();
        float[] after = row.clone();
        WarmingActivations.INSTANCE.softmax(after, 0, 290, 300, 0.125f);
        assertArrayEquals(want, before);
        assertArrayEquals(want, after);
    }

    @Test
    void lanesMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new LaneExactActivations(12));
    }
}
