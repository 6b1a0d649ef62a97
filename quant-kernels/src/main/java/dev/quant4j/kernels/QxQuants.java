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

    /** {@code clamp(nearest_int(s * x), -nmax, nmax - 1)}. */
    static int level(float s, float x, int nmax) {
        return Math.max(-nmax, Math.min(nmax - 1, nearestInt(s * x)));
    }
}
