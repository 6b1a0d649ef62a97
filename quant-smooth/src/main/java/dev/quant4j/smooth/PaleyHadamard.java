package dev.quant4j.smooth;

/**
 * Hadamard matrices of order m = q + 1 for a prime q ≡ 3 (mod 4), by Paley's first construction: with χ the
 * quadratic character mod q and the Jacobsthal matrix J[i][j] = χ(j − i) (antisymmetric for such q),
 * H = I + [[0, 1ᵀ], [−1, J]] satisfies H Hᵀ = m I. This covers the odd factors of common model widths
 * (3072 = 12·256, 5120 = 20·256).
 */
final class PaleyHadamard {
    private PaleyHadamard() {
    }

    /** The smallest m ≥ 4 with n = m·2^k and m − 1 a prime ≡ 3 (mod 4), or 0 when there is none. */
    static int factor(int n) {
        int best = 0;
        for (int m = n; m >= 4; m /= 2) {
            if (isPrime(m - 1) && (m - 1) % 4 == 3) {
                best = m;
            }
            if (m % 2 != 0) {
                break;
            }
        }
        return best;
    }

    /** The m × m matrix, row-major, entries ±1. */
    static float[] of(int m) {
        int q = m - 1;
        if (!isPrime(q) || q % 4 != 3) {
            throw new IllegalArgumentException("Paley construction needs m − 1 prime ≡ 3 (mod 4), got m = " + m);
        }
        int[] chi = new int[q];
        for (int x = 1; x < q; x++) {
            chi[(int) ((long) x * x % q)] = 1;
        }
        for (int x = 1; x < q; x++) {
            if (chi[x] == 0) {
                chi[x] = -1;
            }
        }
        float[] h = new float[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int s;
                if (i == 0) {
                    s = j == 0 ? 0 : 1;
                } else if (j == 0) {
                    s = -1;
                } else {
                    s = chi[Math.floorMod((j - 1) - (i - 1), q)];
                }
                h[i * m + j] = (i == j ? 1 : 0) + s;
            }
        }
        return h;
    }

    private static boolean isPrime(int x) {
        if (x < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= x; d++) {
            if (x % d == 0) {
                return false;
            }
        }
        return true;
    }
}
