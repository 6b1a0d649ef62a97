package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorHadamard;

/**
 * The normalised fast Walsh–Hadamard transform, v ← H_n v / √n in place for n a power of two, in n·log₂ n
 * additions: the rotation behind QuaRot-style residual-stream rotations. Every butterfly output is one rounded
 * addition of two values, so the {@link #scalar()} oracle and the Vector API form ({@link #create()} when
 * {@link Vectorization#enabled()}) give identical bits.
 */
public interface Hadamard {
    /**
     * Transforms {@code v[off .. off + n)} in place.
     *
     * @throws IllegalArgumentException when {@code n} is not a power of two
     */
    void transform(float[] v, int off, int n);

    static Hadamard create() {
        return Vectorization.enabled() ? Vectorized.INSTANCE : Scalar.INSTANCE;
    }

    static Hadamard scalar() {
        return Scalar.INSTANCE;
    }

    static boolean isPowerOfTwo(long n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    /** 1/√n as a float (exact when n is a power of four). */
    static float norm(int n) {
        return (float) (1 / Math.sqrt(n));
    }

    private static void check(float[] v, int off, int n) {
        if (!isPowerOfTwo(n)) {
            throw new IllegalArgumentException("Hadamard transform length must be a power of two, got " + n);
        }
        java.util.Objects.checkFromIndexSize(off, n, v.length);
    }

    /** Plain loops over the log₂ n butterfly stages. */
    final class Scalar implements Hadamard {
        static final Scalar INSTANCE = new Scalar();

        private Scalar() {
        }

        @Override
        public void transform(float[] v, int off, int n) {
            check(v, off, n);
            for (int h = 1; h < n; h <<= 1) {
                for (int i = off; i < off + n; i += h << 1) {
                    for (int j = i; j < i + h; j++) {
                        float a = v[j];
                        float b = v[j + h];
                        v[j] = a + b;
                        v[j + h] = a - b;
                    }
                }
            }
            float s = norm(n);
            for (int i = off; i < off + n; i++) {
                v[i] *= s;
            }
        }
    }

    /** Backed by {@link VectorHadamard}. */
    final class Vectorized implements Hadamard {
        static final Vectorized INSTANCE = new Vectorized();

        private Vectorized() {
        }

        @Override
        public void transform(float[] v, int off, int n) {
            check(v, off, n);
            VectorHadamard.transform(v, off, n, norm(n));
        }
    }
}
