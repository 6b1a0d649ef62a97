package dev.quant4j.kernels.gptq;

/**
 * Dense symmetric positive definite algebra on row-major {@code n × n} double matrices, as GPTQ needs it:
 * the lower Cholesky factor, the inverse through it, and the upper factor of the inverse.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * Lower-triangular {@code L} with {@code a = L Lᵀ} (upper triangle of the result is zero).
     *
     * @throws IllegalArgumentException naming the column when {@code a} is not positive definite
     */
    public static double[] lower(double[] a, int n) {
        check(a, n);
        // right-looking on the upper triangle (U = Lᵀ, rows contiguous): every inner loop is an axpy
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n + i, u, i * n + i, n - i);
        }
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double d = u[rj + j];
            if (!(d > 0)) {
                throw new IllegalArgumentException("matrix is not positive definite at column " + j
                        + " (pivot " + d + "); raise the dampening");
            }
            double ujj = Math.sqrt(d);
            double inv = 1.0 / ujj;
            u[rj + j] = ujj;
            for (int k = j + 1; k < n; k++) {
                u[rj + k] *= inv;
            }
            for (int i = j + 1; i < n; i++) {
                double uji = u[rj + i];
                if (uji != 0) {
                    int ri = i * n;
                    for (int k = i; k < n; k++) {
                        u[ri + k] -= uji * u[rj + k];
                    }
                }
            }
        }
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = i; k < n; k++) {
                l[k * n + i] = u[i * n + k];
            }
        }
        return l;
    }

    /** Inverse of the lower-triangular {@code l}, itself lower-triangular (row by row, contiguous inner loops). */
    public static double[] invertLower(double[] l, int n) {
        check(l, n);
        double[] m = new double[n * n];
        double[] acc = new double[n];
        for (int i = 0; i < n; i++) {
            // row i of L⁻¹: (e_i − Σ_{k<i} l[i][k] · row k of L⁻¹) / l[i][i]
            java.util.Arrays.fill(acc, 0, i, 0.0);
            for (int k = 0; k < i; k++) {
                double lik = l[i * n + k];
                if (lik != 0) {
                    int rk = k * n;
                    for (int j = 0; j <= k; j++) {
                        acc[j] += lik * m[rk + j];
                    }
                }
            }
            double inv = 1.0 / l[i * n + i];
            for (int j = 0; j < i; j++) {
                m[i * n + j] = -acc[j] * inv;
            }
            m[i * n + i] = inv;
        }
        return m;
    }

    /** Inverse of the symmetric positive definite {@code a}: {@code L⁻ᵀ L⁻¹} = Σ_k (row k of L⁻¹)ᵀ (row k of L⁻¹). */
    public static double[] inverse(double[] a, int n) {
        double[] m = invertLower(lower(a, n), n);
        double[] inv = new double[n * n];
        for (int k = 0; k < n; k++) {
            int rk = k * n;
            for (int i = 0; i <= k; i++) {
                double mki = m[rk + i];
                if (mki != 0) {
                    int ri = i * n;
                    for (int j = i; j <= k; j++) {
                        inv[ri + j] += mki * m[rk + j];
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                inv[i * n + j] = inv[j * n + i];
            }
        }
        return inv;
    }

    /**
     * Upper-triangular {@code U} with {@code a⁻¹ = Uᵀ U}: the factor GPTQ's column sweep reads. With {@code P}
     * the reversal permutation and {@code P a P = L' L'ᵀ}, {@code a⁻¹ = (P L'⁻¹ P)ᵀ (P L'⁻¹ P)} and
     * {@code P L'⁻¹ P} is upper-triangular with a positive diagonal, so by uniqueness it is the factor: one
     * Cholesky and one triangular inverse instead of the reference's Cholesky, inverse and second Cholesky.
     */
    public static double[] upperOfInverse(double[] a, int n) {
        check(a, n);
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = a[(n - 1 - i) * n + (n - 1 - j)];
            }
        }
        double[] m = invertLower(lower(p, n), n);
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                u[i * n + j] = m[(n - 1 - i) * n + (n - 1 - j)];
            }
        }
        return u;
    }

    private static void check(double[] a, int n) {
        if (n < 1 || a.length != (long) n * n) {
            throw new IllegalArgumentException(a.length + " values for a " + n + " × " + n + " matrix");
        }
    }
}
