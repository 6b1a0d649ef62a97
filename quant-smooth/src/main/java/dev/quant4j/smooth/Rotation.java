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
        if (o.method().equals("random")) {
            return RandomOrthogonal.of(n, o.seed());
        }
        if (Hadamard.isPowerOfTwo(n)) {
            return RandomisedHadamard.of(n, o.seed());
        }
        int m = PaleyHadamard.factor(n);
        if (m > 0) {
            return KroneckerHadamard.of(n, m, o.seed());
        }
        if (o.method().equals("hadamard")) {
            throw new IllegalArgumentException("rotate: method=hadamard needs a width of 2^k or 2^k × m with m − 1 a"
                    + " prime ≡ 3 (mod 4) (12, 20, 44, …); the residual stream has " + n + " channels (use"
                    + " method=random or auto)");
        }
        return RandomOrthogonal.of(n, o.seed());
    }

    /**
     * Q = D·(H_m ⊗ H_p)/√n for n = m·p, p a power of two and H_m a Paley Hadamard matrix: on v viewed as m blocks
     * of p, the fast transform within each block, then H_mᵀ across the blocks; O(n (log p + m)).
     */
    record KroneckerHadamard(float[] signs, int m, float[] hm, Hadamard kernel) implements Rotation {
        static KroneckerHadamard of(int n, int m, long seed) {
            return new KroneckerHadamard(RandomisedHadamard.of(n, seed).signs(), m, PaleyHadamard.of(m),
                    Hadamard.create());
        }

        @Override
        public int size() {
            return signs.length;
        }

        @Override
        public void applyTransposed(float[] v, int off) {
            int n = signs.length;
            int p = n / m;
            for (int i = 0; i < n; i++) {
                v[off + i] *= signs[i];
            }
            for (int a = 0; a < m; a++) {
                kernel.transform(v, off + a * p, p); // includes 1/√p
            }
            float scale = (float) (1 / Math.sqrt(m));
            double[] col = new double[m];
            for (int b = 0; b < p; b++) {
                for (int a = 0; a < m; a++) {
                    double s = 0;
                    for (int k = 0; k < m; k++) {
                        s += hm[k * m + a] * v[off + k * p + b];
                    }
                    col[a] = s;
                }
                for (int a = 0; a < m; a++) {
                    v[off + a * p + b] = (float) (col[a] * scale);
                }
            }
        }
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
