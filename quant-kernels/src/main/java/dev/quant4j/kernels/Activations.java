package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorActivations;

/**
 * The element-wise exponentials of the forward pass: attention's softmax rows and SwiGLU's gate. {@link #scalar()}
 * is the oracle ({@code Math.exp} rounded to float); {@link #create()} the Vector API one when
 * {@link Vectorization#enabled()} (float exp of the platform's vector math library, sums in float lanes: results
 * agree to a few ulps, not bit for bit).
 */
public interface Activations {
    /**
     * Softmax of {@code scale * s[off .. off + valid)} in place; {@code s[off + valid .. off + len)} get 0.
     */
    void softmax(float[] s, int off, int valid, int len, float scale);

    /** {@code g[i] = silu(g[i]) * u[i]} for {@code i < n}, silu(v) = v / (1 + e^-v). */
    default void swiglu(float[] g, float[] u, int n) {
        swiglu(g, u, 0, n);
    }

    /**
     * {@link #swiglu(float[], float[], int)} for {@code from <= i < to}: pieces that start at multiples of 64 give
     * the same bits as one call over all of them.
     */
    void swiglu(float[] g, float[] u, int from, int to);

    /** Compiles both loops early (see {@link MatTile#warmUp()}). */
    default void warmUp() {
        float[] a = new float[512];
        float[] b = new float[512];
        for (int i = 0; i < 400; i++) {
            java.util.Arrays.fill(a, 0.5f);
            softmax(a, 0, 500, 512, 0.125f);
            swiglu(a, b, 512);
        }
    }

    /**
     * The fastest available implementation: with the Vector API, {@link WarmingActivations} (plain loops with the
     * vector form's exact arithmetic until {@link #warmUp()} has had the JIT compile the vector form; call it on a
     * background thread), else the scalar oracle.
     */
    static Activations create() {
        return Vectorization.enabled() ? WarmingActivations.INSTANCE : Scalar.INSTANCE;
    }

    static Activations scalar() {
        return Scalar.INSTANCE;
    }

    /** Plain loops. */
    final class Scalar implements Activations {
        static final Scalar INSTANCE = new Scalar();

        private Scalar() {
        }

        @Override
        public void softmax(float[] s, int off, int valid, int len, float scale) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < valid; j++) {
                s[off + j] *= scale;
                max = Math.max(max, s[off + j]);
            }
            finish(s, off, 0, valid, len, max, 0);
        }

        /**
         * The end of a softmax row whose elements below {@code from} are exponentials already summing to
         * {@code sum}: the rest through {@code Math.exp} rounded to float, added in double, then every valid
         * element divided by the sum (times its float reciprocal) and the padding zeroed.
         */
        static void finish(float[] s, int off, int from, int valid, int len, float max, double sum) {
            for (int j = from; j < valid; j++) {
                float e = (float) Math.exp(s[off + j] - max);
                s[off + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < valid; j++) {
                s[off + j] *= inv;
            }
            java.util.Arrays.fill(s, off + valid, off + len, 0f);
        }

        @Override
        public void swiglu(float[] g, float[] u, int from, int to) {
            for (int i = from; i < to; i++) {
                float v = g[i];
                g[i] = v / (1f + (float) Math.exp(-v)) * u[i];
            }
        }
    }

    /** Backed by {@link VectorActivations}. */
    final class Vectorized implements Activations {
        static final Vectorized INSTANCE = new Vectorized();

        private Vectorized() {
        }

        @Override
        public void softmax(float[] s, int off, int valid, int len, float scale) {
            VectorActivations.softmax(s, off, valid, scale);
            java.util.Arrays.fill(s, off + valid, off + len, 0f);
        }

        @Override
        public void swiglu(float[] g, float[] u, int from, int to) {
            VectorActivations.swiglu(g, u, from, to);
        }
    }
}
