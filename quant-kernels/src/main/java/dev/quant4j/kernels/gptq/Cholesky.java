package dev.quant4j.kernels.gptq;

/**
 * Dense symmetric positive definite algebra on row-major {@code n × n} double matrices, as GPTQ needs it:
 * the lower Cholesky factor, the inverse through it, and the upper factor of the inverse.
 */
public final class Cholesky {
    /** Rows factored together before the rank update of the rest. */
    private static final int PANEL = 64;
    private Cholesky() {
    }

    /**
     * Lower-triangular {@code L} with {@code a = L Lᵀ} (upper triangle of the result is zero), on one thread.
     *
     * @throws IllegalArgumentException naming the column when {@code a} is not positive definite
     */
    public static double[] lower(double[] a, int n) {
        return lower(a, n, 1);
    }

    /**
     * As {@link #lower(double[], int)} on {@code threads} threads: blocked right-looking on the upper factor
     * ({@code U = Lᵀ}, rows contiguous). A panel of {@value #PANEL} rows is factored alone, then the rest of the
     * matrix takes the panel's rank-{@value #PANEL} update, rows in parallel (one join per panel).
     */
    public static double[] lower(double[] a, int n, int threads) {
        check(a, n);
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n + i, u, i * n + i, n - i);
        }
        try (Team team = new Team(n >= 256 ? threads : 1)) {
            for (int p0 = 0; p0 < n; p0 += PANEL) {
                int p1 = Math.min(n, p0 + PANEL);
                for (int j = p0; j < p1; j++) {
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
                    for (int i = j + 1; i < p1; i++) {
                        axpyRows(u, n, i, j, j + 1);
                    }
                }
                int from = p0;
                int to = p1;
                team.forEach(p1, n, i -> axpyRows(u, n, i, from, to));
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

    /** Row {@code i} of {@code u}, columns {@code i..n}: {@code -= Σ_{j0 ≤ j < j1} u[j][i] · u[j][i..n]}. */
    private static void axpyRows(double[] u, int n, int i, int j0, int j1) {
        int ri = i * n;
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
            int r0 = j * n;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            double a0 = u[r0 + i];
            double a1 = u[r1 + i];
            double a2 = u[r2 + i];
            double a3 = u[r3 + i];
            for (int k = i; k < n; k++) {
                u[ri + k] -= a0 * u[r0 + k] + a1 * u[r1 + k] + a2 * u[r2 + k] + a3 * u[r3 + k];
            }
        }
        for (; j < j1; j++) {
            int rj = j * n;
            double a0 = u[rj + i];
            if (a0 != 0) {
                for (int k = i; k < n; k++) {
                    u[ri + k] -= a0 * u[rj + k];
                }
            }
        }
    }

    /** Inverse of the lower-triangular {@code l}, itself lower-triangular, on one thread. */
    public static double[] invertLower(double[] l, int n) {
        return invertLower(l, n, 1);
    }

    /**
     * As {@link #invertLower(double[], int)} on {@code threads} threads: column {@code j} of {@code L⁻¹} is the
     * forward substitution {@code L x = e_j}, independent of the other columns (each a row-by-row dot product).
     */
    public static double[] invertLower(double[] l, int n, int threads) {
        check(l, n);
        double[] m = new double[n * n];
        try (Team team = new Team(n >= 256 ? threads : 1)) {
            team.forEach(0, n, j -> {
                double[] x = new double[n];
                x[j] = 1.0 / l[j * n + j];
                m[j * n + j] = x[j];
                for (int i = j + 1; i < n; i++) {
                    int ri = i * n;
                    double s0 = 0;
                    double s1 = 0;
                    int k = j;
                    for (; k + 2 <= i; k += 2) {
                        s0 += l[ri + k] * x[k];
                        s1 += l[ri + k + 1] * x[k + 1];
                    }
                    if (k < i) {
                        s0 += l[ri + k] * x[k];
                    }
                    x[i] = -(s0 + s1) / l[ri + i];
                    m[ri + j] = x[i];
                }
            });
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
        return upperOfInverse(a, n, 1);
    }

    /** As {@link #upperOfInverse(double[], int)} on {@code threads} threads. */
    public static double[] upperOfInverse(double[] a, int n, int threads) {
        check(a, n);
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = a[(n - 1 - i) * n + (n - 1 - j)];
            }
        }
        double[] m = invertLower(lower(p, n, threads), n, threads);
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
