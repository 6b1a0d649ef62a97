package dev.quant4j.kernels;

import static dev.quant4j.kernels.Rounding.nearestInt;

/**
 * ggml's {@code make_q3_quants} with {@code do_rmse = true} (spec section 2.2): a symmetric scale fitted with
 * {@code x^2} weights, then up to five passes of per-element level moves that improve the fit. Levels are
 * returned biased into {@code [0, 2 nmax)}.
 */
public final class Q3Quants {
    private Q3Quants() {
    }

    /**
     * @param x values {@code x[xOff .. xOff+n)}
     * @param L receives levels {@code L[lOff .. lOff+n)} in {@code [0, 2 nmax)}
     * @return the scale (0 for an all-zero block)
     */
    public static float make(int n, int nmax, float[] x, int xOff, byte[] L, int lOff) {
        float amax = 0;
        float max = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xOff + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOff + i];
            }
        }
        if (amax < QxQuants.EPS) {
            java.util.Arrays.fill(L, lOff, lOff + n, (byte) 0);
            return 0f;
        }
        float iscale = (float) -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i];
            int l = QxQuants.level(iscale, xi, nmax);
            L[lOff + i] = (byte) l;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; itry++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                float w = xi * xi;
                int li = L[lOff + i];
                float slx = sumlx - w * xi * li;
                if (slx > 0) {
                    float sl2 = suml2 - w * li * li;
                    int nl = Math.max(-nmax, Math.min(nmax - 1, nearestInt(xi * sl2 / slx)));
                    if (nl != li) {
                        slx = slx + w * xi * nl;
                        sl2 = sl2 + w * nl * nl;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[lOff + i] = (byte) nl;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            L[lOff + i] = (byte) (L[lOff + i] + nmax);
        }
        return suml2 > 0 ? sumlx / suml2 : 0f;
    }
}
