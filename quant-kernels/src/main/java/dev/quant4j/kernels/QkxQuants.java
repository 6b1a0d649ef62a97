package dev.quant4j.kernels;

import static dev.quant4j.kernels.Rounding.nearestInt;

/**
 * ggml's asymmetric searches {@code make_qkx2_quants} and {@code make_qkx3_quants} (spec section 2.3): a scale
 * and an offset for {@code n} values with levels {@code 0..nmax}, chosen among {@code nstep + 1} candidate
 * scales by a weighted least-squares fit. Upstream quirk kept on purpose: once a candidate wins, the later
 * candidates are built from the winner's (fitted) minimum, so the steps are not independent.
 *
 * <p>This is the straightforward form, one block at a time; {@link QkxQuantsLanes} runs many blocks in
 * lock step and is tested against it.
 */
public final class QkxQuants {
    private QkxQuants() {
    }

    /**
     * {@code make_qkx2_quants}.
     *
     * @param w      weights {@code w[wOff .. wOff+n)} (required)
     * @param L      receives levels {@code 0..nmax} at {@code L[lOff .. lOff+n)}
     * @param laux   scratch of at least {@code n} bytes
     * @param mins   receives {@code the_min} (the block offset is {@code -the_min}) at {@code mins[minIdx]}
     * @return the scale
     */
    public static float make2(int n, int nmax, float[] x, int xOff, float[] w, int wOff, float rmin, float rdelta,
                              int nstep, boolean useMad, byte[] L, int lOff, byte[] laux, float[] mins, int minIdx) {
        return make(n, nmax, x, xOff, w, wOff, rmin, rdelta, nstep, useMad, L, lOff, laux, mins, minIdx, false);
    }

    /**
     * {@code make_qkx3_quants}: as {@link #make2} but {@code w} may be null (then {@code x^2}) and a block
     * with {@code max <= min} is degenerate.
     */
    public static float make3(int n, int nmax, float[] x, int xOff, float[] w, int wOff, float rmin, float rdelta,
                              int nstep, boolean useMad, byte[] L, int lOff, byte[] laux, float[] mins, int minIdx) {
        return make(n, nmax, x, xOff, w, wOff, rmin, rdelta, nstep, useMad, L, lOff, laux, mins, minIdx, true);
    }

    private static float make(int n, int nmax, float[] x, int xOff, float[] w, int wOff, float rmin, float rdelta,
                              int nstep, boolean useMad, byte[] L, int lOff, byte[] laux, float[] mins, int minIdx,
                              boolean v3) {
        float x0 = x[xOff];
        float min = x0;
        float max = x0;
        float sumW = weight(w, wOff, x0, 0);
        float sumX = sumW * x0;
        for (int i = 1; i < n; i++) {
            float xi = x[xOff + i];
            if (xi < min) {
                min = xi;
            }
            if (xi > max) {
                max = xi;
            }
            float wi = weight(w, wOff, xi, i);
            sumW += wi;
            sumX += wi * xi;
        }
        if (min > 0) {
            min = 0;
        }
        if (v3 ? max <= min : max == min) {
            java.util.Arrays.fill(L, lOff, lOff + n, (byte) 0);
            mins[minIdx] = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float best = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i];
            int l = Math.max(0, Math.min(nmax, nearestInt(iscale * (xi - min))));
            L[lOff + i] = (byte) l;
            float diff = scale * l + min - xi;
            best += weight(w, wOff, xi, i) * (useMad ? Math.abs(diff) : diff * diff);
        }
        if (nstep < 1) {
            mins[minIdx] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            float s = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                int l = Math.max(0, Math.min(nmax, nearestInt(s * (xi - min))));
                laux[i] = (byte) l;
                float wi = weight(w, wOff, xi, i);
                sumL += wi * l;
                sumL2 += wi * l * l;
                sumXL += wi * l * xi;
            }
            float d = sumW * sumL2 - sumL * sumL;
            if (d > 0) {
                float ts = (sumW * sumXL - sumX * sumL) / d;
                float tm = (sumL2 * sumX - sumL * sumXL) / d;
                if (tm > 0) {
                    tm = 0;
                    ts = sumXL / sumL2;
                }
                float err = 0;
                for (int i = 0; i < n; i++) {
                    float xi = x[xOff + i];
                    float diff = ts * laux[i] + tm - xi;
                    err += weight(w, wOff, xi, i) * (useMad ? Math.abs(diff) : diff * diff);
                }
                if (err < best) {
                    System.arraycopy(laux, 0, L, lOff, n);
                    best = err;
                    scale = ts;
                    min = tm;
                }
            }
        }
        mins[minIdx] = -min;
        return scale;
    }

    private static float weight(float[] w, int wOff, float xi, int i) {
        return w != null ? w[wOff + i] : xi * xi;
    }
}
