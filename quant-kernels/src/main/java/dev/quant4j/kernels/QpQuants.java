package dev.quant4j.kernels;

import static dev.quant4j.kernels.Rounding.nearestInt;

/**
 * ggml's {@code make_qp_quants} (spec section 2.4): a scale for (normally non-negative) values with levels
 * {@code 0..nmax}, weighted by {@code qw}. Levels live in unsigned bytes exactly as upstream: a negative
 * level wraps mod 256 when stored and later reads see the wrapped value (IQ2_XXS relies on this).
 */
public final class QpQuants {
    private QpQuants() {
    }

    /**
     * @param x  values {@code x[xOff .. xOff+n)}
     * @param qw weights {@code qw[qwOff .. qwOff+n)} (required)
     * @param L  receives the levels (unsigned bytes) at {@code L[lOff .. lOff+n)}
     * @return the scale (0 when the largest value is below {@link QxQuants#EPS})
     */
    public static float make(int n, int nmax, float[] x, int xOff, float[] qw, int qwOff, byte[] L, int lOff) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Rounding.cmax(max, x[xOff + i]);
        }
        if (max < QxQuants.EPS) {
            java.util.Arrays.fill(L, lOff, lOff + n, (byte) 0);
            return 0f;
        }
        float iscale = (float) nmax / max;
        for (int i = 0; i < n; i++) {
            L[lOff + i] = (byte) nearestInt(iscale * x[xOff + i]);
        }
        float scale = 1 / iscale;
        float bestMse = 0;
        for (int i = 0; i < n; i++) {
            float diff = x[xOff + i] - scale * (L[lOff + i] & 0xFF);
            bestMse += qw[qwOff + i] * diff * diff;
        }
        for (int is = -4; is <= 4; is++) {
            if (is == 0) {
                continue;
            }
            float si = (0.1f * is + (float) nmax) / max;
            float sc = 1 / si;
            float mse = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.min(nmax, nearestInt(si * x[xOff + i]));
                float diff = x[xOff + i] - sc * l;
                mse += qw[qwOff + i] * diff * diff;
            }
            if (mse < bestMse) {
                bestMse = mse;
                iscale = si;
            }
        }
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            int l = Math.min(nmax, nearestInt(iscale * x[xOff + i]));
            L[lOff + i] = (byte) l;
            float w = qw[qwOff + i];
            sumlx += w * x[xOff + i] * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; itry++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                float w = qw[qwOff + i];
                float xi = x[xOff + i];
                int li = L[lOff + i] & 0xFF;
                float slx = sumlx - w * xi * li;
                float sl2 = suml2 - w * li * li;
                if (slx > 0 && sl2 > 0) {
                    int nl = Math.min(nmax, nearestInt(xi * sl2 / slx));
                    if (nl != li) {
                        slx += w * xi * nl;
                        sl2 += w * nl * nl;
                        if (slx * slx * suml2 > sumlx * sumlx * sl2) {
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
        return suml2 > 0 ? sumlx / suml2 : 0f;
    }
}
