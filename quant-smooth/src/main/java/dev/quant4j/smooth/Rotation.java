package dev.quant4j.smooth;

import dev.quant4j.kernels.Hadamard;
import java.util.SplittableRandom;

/**
 * An orthogonal n × n matrix Q, applied as v ← Qᵀ v. That one operation serves every tensor of a rotated model:
 * a row r of the embedding or of a linear reading the residual becomes r·Q = (Qᵀ rᵀ)ᵀ, and a column c of a
 * linear writing into it becomes Qᵀ c.
 */
sealed interface Rotation {
    int size();

    /** v[off .. off + size) ← Qᵀ v. */
    void applyTransposed(float[] v, int off);

    static Rotation of(int n, RotateOptions o) {
        boolean pow2 = Hadamard.isPowerOfTwo(n);
        return switch (o.method()) {
            case "hadamard" -> {
                if (!pow2) {
                    throw new IllegalArgumentException("rotate: method=hadamard needs a power-of-two width, the"
                            + " residual stream has " + n + " channels (use method=random or auto)");
                }
                yield RandomisedHadamard.of(n, o.seed());
            }
            case "random" -> RandomOrthogonal.of(n, o.seed());
            default -> pow2 ? RandomisedHadamard.of(n, o.seed()) : RandomOrthogonal.of(n, o.seed());
        };
    }

    /** Q = D·H/√n with D a seeded ±1 diagonal and H the Walsh–Hadamard matrix: Qᵀ v = H(d ⊙ v)/√n, O(n log n). */
    record RandomisedHadamard(float[] signs, Hadamard kernel) implements Rotation {
        static RandomisedHadamard of(int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = r.nextBoolean() ? 1f : -1f;
            }
            return new RandomisedHadamard(d, Hadamard.create());
        }

        @Override
        public int size() {
            return signs.length;
        }

        @Override
        public void applyTransposed(float[] v, int off) {
            for (int i = 0; i < signs.length; i++) {
                v[off + i] *= signs[i];
            }
            kernel.transform(v, off, signs.length);
        }
    }

    /**
     * Q from the QR decomposition of a seeded Gaussian matrix (modified Gram–Schmidt in double on its columns,
     * R's diagonal positive, so Q is Haar-distributed); stored as its columns q_i, Qᵀ v = (q_i · v)_i.
     */
    record RandomOrthogonal(double[] columns, int size) implements Rotation {
        static RandomOrthogonal of(int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] q = new double[n * n];
            for (int i = 0; i < q.length; i++) {
                q[i] = r.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                for (int pass = 0; pass < 2; pass++) { // twice is enough (Kahan): orthogonal to rounding
                    for (int j = 0; j < i; j++) {
                        double dot = 0;
                        for (int k = 0; k < n; k++) {
                            dot += q[i * n + k] * q[j * n + k];
                        }
                        for (int k = 0; k < n; k++) {
                            q[i * n + k] -= dot * q[j * n + k];
                        }
                    }
                }
                double norm = 0;
                for (int k = 0; k < n; k++) {
                    norm += q[i * n + k] * q[i * n + k];
                }
                double inv = 1 / Math.sqrt(norm);
                for (int k = 0; k < n; k++) {
                    q[i * n + k] *= inv;
                }
            }
            return new RandomOrthogonal(q, n);
        }

        @Override
        public void applyTransposed(float[] v, int off) {
            double[] out = new double[size];
            for (int i = 0; i < size; i++) {
                double s = 0;
                for (int k = 0; k < size; k++) {
                    s += columns[i * size + k] * v[off + k];
                }
                out[i] = s;
            }
            for (int i = 0; i < size; i++) {
                v[off + i] = (float) out[i];
            }
        }
    }
}
