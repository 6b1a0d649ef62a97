package dev.quant4j.kernels;

import static dev.quant4j.kernels.Rounding.nearestInt;

/**
 * ggml's {@code make_qx_quants} with {@code rmse_type = 1} (spec/quant-types.md section 2.1): a symmetric scale
 * for {@code n} values and their levels {@code L in [0, 2 nmax)} (the signed level plus {@code nmax}), chosen
 * by a weighted least-squares fit over 19 candidate scales. Weights are {@code qw} when given, else {@code x^2}.
 * Plain float arithmetic in upstream order; allocation free.
 */
public final class QxQuants {
    /** GROUP_MAX_EPS: blocks whose largest magnitude is below it are all zero. */
    public static final float EPS = 1e-15f;

    private QxQuants() {
    }

    /**
     * @param x   values {@code x[xOff .. xOff+n)}
     * @param qw  weights {@code qw[qwOff .. qwOff+n)}, or null for {@code x^2}
     * @param L   receives the levels at {@code L[lOff .. lOff+n)}; null when only the scale is wanted
     * @return the scale (0 for an all-zero block)
     */
    public static float make(int n, int nmax, float[] x, int xOff, float[] qw, int qwOff, byte[] L, int lOff) {
        float amax = 0;
        float max = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xOff + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOff + i];
            }
        }
        if (amax < EPS) {
            if (L != null) {
                java.util.Arrays.fill(L, lOff, lOff + n, (byte) 0);
            }
            return 0f;
        }
        float iscale = (float) -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i];
            int l = level(iscale, xi, nmax);
            if (L != null) {
                L[lOff + i] = (byte) (l + nmax);
            }
            float w = qw != null ? qw[qwOff + i] : xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            float s = -((float) nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                int l = level(s, xi, nmax);
                float w = qw != null ? qw[qwOff + i] : xi * xi;
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; L != null && i < n; i++) {
                    L[lOff + i] = (byte) (level(s, x[xOff + i], nmax) + nmax);
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * The scale {@link #make} returns, without the levels, in less time: two candidate scales per pass over the
     * block (four independent add chains instead of two), the level {@code clamp(nearest_int(v), -nmax, nmax - 1)}
     * computed in float as {@code (v + 1.5 * 2^23) - 1.5 * 2^23}, then clamped (the same value wherever
     * {@code |v| < 2^22}; here {@code |v| <= nmax + 1}: a candidate scale is at most {@code (nmax + 0.9) / |max|}
     * and no element exceeds {@code |max|}). Every sum takes the reference's float operations in its order, and
     * the candidates are accepted in its order, so the result is bit-identical. The fallback of the Q6_K search
     * while its vector form is cold.
     */
    public static float scale(int n, int nmax, float[] x, int xOff, float[] qw, int qwOff) {
        float amax = 0;
        float max = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xOff + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOff + i];
            }
        }
        if (amax < EPS) {
            return 0f;
        }
        float lo = -nmax;
        float hi = nmax - 1;
        float scale = 0;
        float best = 0;
        for (int c = 0; c < 19; c += 2) {
            boolean pair = c < 18;
            // c = 0 is the reference's first scale, -nmax / max (is = 0); then is = -9 .. -1, 1 .. 9
            float s0 = -((float) nmax + 0.1f * candidate(c)) / max;
            float s1 = pair ? -((float) nmax + 0.1f * candidate(c + 1)) / max : s0;
            float sumlx0 = 0;
            float suml20 = 0;
            float sumlx1 = 0;
            float suml21 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                float w = qw != null ? qw[qwOff + i] : xi * xi;
                float wx = w * xi;
                float l0 = Math.min(hi, Math.max(lo, (s0 * xi + MAGIC) - MAGIC));
                float l1 = Math.min(hi, Math.max(lo, (s1 * xi + MAGIC) - MAGIC));
                sumlx0 += wx * l0;
                suml20 += w * l0 * l0;
                sumlx1 += wx * l1;
                suml21 += w * l1 * l1;
            }
            if (c == 0) {
                scale = suml20 != 0 ? sumlx0 / suml20 : 0f;
                best = scale * sumlx0;
            } else if (suml20 > 0 && sumlx0 * sumlx0 > best * suml20) {
                scale = sumlx0 / suml20;
                best = scale * sumlx0;
            }
            if (pair && suml21 > 0 && sumlx1 * sumlx1 > best * suml21) {
                scale = sumlx1 / suml21;
                best = scale * sumlx1;
            }
        }
        return scale;
    }

    private static final float MAGIC = 12582912f;

    /** The {@code is} of the reference's candidate {@code c}: 0 (its first scale), then -9 .. -1, 1 .. 9. */
    public static int candidate(int c) {
        return c == 0 ? 0 : c <= 9 ? c - 10 : c - 9;
    }

    /** {@code clamp(nearest_int(s * x), -nmax, nmax - 1)}. */
    static int level(float s, float x, int nmax) {
        return Math.max(-nmax, Math.min(nmax - 1, nearestInt(s * x)));
    }
}
