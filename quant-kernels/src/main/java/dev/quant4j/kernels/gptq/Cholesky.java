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
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            int rj = j * n;
            for (int k = 0; k < j; k++) {
                d -= l[rj + k] * l[rj + k];
            }
            if (!(d > 0)) {
                throw new IllegalArgumentException("matrix is not positive definite at column " + j
                        + " (pivot " + d + "); raise the dampening");
            }
            double ljj = Math.sqrt(d);
            l[rj + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= l[ri + k] * l[rj + k];
                }
                l[ri + j] = s / ljj;
            }
        }
        return l;
    }

    /** Inverse of the lower-triangular {@code l}, itself lower-triangular. */
    public static double[] invertLower(double[] l, int n) {
        check(l, n);
        double[] m = new double[n * n];
        for (int j = 0; j < n; j++) {
            m[j * n + j] = 1.0 / l[j * n + j];
            for (int i = j + 1; i < n; i++) {
                double s = 0;
                for (int k = j; k < i; k++) {
                    s += l[i * n + k] * m[k * n + j];
                }
                m[i * n + j] = -s / l[i * n + i];
            }
        }
        return m;
    }

    /** Inverse of the symmetric positive definite {@code a}: {@code L⁻ᵀ L⁻¹}. */
    public static double[] inverse(double[] a, int n) {
        double[] m = invertLower(lower(a, n), n);
        double[] inv = new double[n * n];
        // (L⁻ᵀ L⁻¹)[i][j] = Σ_k m[k][i] m[k][j], k ≥ max(i, j); m is lower so column i starts at row i
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = j; k < n; k++) {
                    s += m[k * n + i] * m[k * n + j];
                }
                inv[i * n + j] = s;
                inv[j * n + i] = s;
            }
        }
        return inv;
    }

    /** Upper-triangular {@code U} with {@code a⁻¹ = Uᵀ U}: the factor GPTQ's column sweep reads. */
    public static double[] upperOfInverse(double[] a, int n) {
        double[] l = lower(inverse(a, n), n);
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                u[j * n + i] = l[i * n + j];
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
