package dev.quant4j.lowbit.iq;

import dev.quant4j.kernels.Rounding;

/**
 * ggml's {@code make_qp_quants} (spec §2.4): scale for non-negative inputs on levels 0..nmax, weighted by
 * {@code qw}. Levels live in unsigned bytes: a negative level (possible in IQ2_XXS, where one value per odd
 * sign group is negative) wraps mod 256 when stored and is read back wrapped, exactly as upstream.
 */
final class QpQuants {
    private static final float EPS = 1e-15f;

    private QpQuants() {
    }

    /** Returns the scale; {@code levels[0 .. n)} receive the byte levels. */
    static float make(int n, int nmax, float[] x, byte[] levels, float[] qw) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Rounding.cmax(max, x[i]);
        }
        if (max < EPS) {
            java.util.Arrays.fill(levels, 0, n, (byte) 0);
            return 0;
        }
        float iscale = nmax / max;
        for (int i = 0; i < n; i++) {
            levels[i] = (byte) Rounding.nearestInt(iscale * x[i]);
        }
        float scale = 1 / iscale;
        float bestMse = 0;
        for (int i = 0; i < n; i++) {
            float diff = x[i] - scale * (levels[i] & 0xFF);
            bestMse += qw[i] * diff * diff;
        }
        for (int is = -4; is <= 4; is++) {
            if (is == 0) {
                continue;
            }
            float iscaleIs = (0.1f * is + nmax) / max;
            float scaleIs = 1 / iscaleIs;
            float mse = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.min(nmax, Rounding.nearestInt(iscaleIs * x[i]));
                float diff = x[i] - scaleIs * l;
                mse += qw[i] * diff * diff;
            }
            if (mse < bestMse) {
                bestMse = mse;
                iscale = iscaleIs;
            }
        }
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            int l = Math.min(nmax, Rounding.nearestInt(iscale * x[i]));
            levels[i] = (byte) l;
            sumlx += qw[i] * x[i] * l;
            suml2 += qw[i] * l * l;
        }
        for (int itry = 0; itry < 5; itry++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                int li = levels[i] & 0xFF;
                float w = qw[i];
                float slx = sumlx - w * x[i] * li;
                float sl2 = suml2 - w * li * li;
                if (slx > 0 && sl2 > 0) {
                    int newL = Math.min(nmax, Rounding.nearestInt(x[i] * sl2 / slx));
                    if (newL != li) {
                        slx += w * x[i] * newL;
                        sl2 += w * newL * newL;
                        if (slx * slx * suml2 > sumlx * sumlx * sl2) {
                            levels[i] = (byte) newL;
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
        return suml2 > 0 ? sumlx / suml2 : 0;
    }
}
