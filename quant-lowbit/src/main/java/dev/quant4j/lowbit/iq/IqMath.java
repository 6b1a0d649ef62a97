package dev.quant4j.lowbit.iq;

import dev.quant4j.kernels.Rounding;

/**
 * Float routines shared by the IQ quantizers, each in ggml's exact operation order (spec §0.1, §8.1):
 * plain float arithmetic, sequential sums from 0, no fused multiply-add.
 */
final class IqMath {
    private IqMath() {
    }

    /** {@code Σ x[i]·x[i]} over {@code x[off .. off+n)}. */
    static float sumSquares(float[] x, int off, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += x[off + i] * x[off + i];
        }
        return s;
    }

    /** {@code weight[i] = qw[qo+i]·sqrt(sigma2 + x²)} for the n values at {@code x[xo..]}. */
    static void importanceWeights(float[] x, int xo, float[] qw, int qo, float sigma2, float[] weight, int n) {
        importanceWeights(x, xo, qw, qo, sigma2, weight, 0, n);
    }

    /** As above, into {@code weight[wo ..]}. */
    static void importanceWeights(float[] x, int xo, float[] qw, int qo, float sigma2, float[] weight, int wo,
                                  int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            weight[wo + i] = qw[qo + i] * (float) Math.sqrt(sigma2 + v * v);
        }
    }

    /** {@code weight[i] = x²} (the fallback weighting of IQ3_XXS, IQ3_S, IQ1_M without importance). */
    static void squareWeights(float[] x, int xo, float[] weight, int n) {
        for (int i = 0; i < n; i++) {
            weight[i] = x[xo + i] * x[xo + i];
        }
    }

    static void sqrtOf(float[] src, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = (float) Math.sqrt(src[i]);
        }
    }

    /**
     * Absolute values of the 8 values at {@code x[xo..]} into {@code xval[vo..]} with their sign mask; −0.0
     * counts as non-negative (and keeps its sign in xval, as upstream).
     */
    static int signs8(float[] x, int xo, float[] xval, int vo) {
        int s = 0;
        for (int i = 0; i < 8; i++) {
            float v = x[xo + i];
            if (v >= 0) {
                xval[vo + i] = v;
            } else {
                xval[vo + i] = -v;
                s |= 1 << i;
            }
        }
        return s;
    }

    /**
     * {@link #signs8} with the even-parity trick: an odd number of negatives flips the value of least
     * {@code weight·x·x} (first wins) back to negative in xval. Returns the 7 stored sign bits.
     */
    static int paritySigns(float[] x, int xo, float[] weight, int wo, float[] xval, int vo) {
        int s = signs8(x, xo, xval, vo);
        if ((Integer.bitCount(s) & 1) != 0) {
            int imin = 0;
            float min = weight[wo] * x[xo] * x[xo];
            for (int i = 1; i < 8; i++) {
                float ax = weight[wo + i] * x[xo + i] * x[xo + i];
                if (ax < min) {
                    min = ax;
                    imin = i;
                }
            }
            xval[vo + imin] = -xval[vo + imin];
            s ^= 1 << imin;
        }
        return s & 127;
    }

    /** The level rule of §8.1: nearest odd integer {@code 2l+1} to {@code id·v}, l clamped to [0, kmax). */
    static int level(float id, float v, int kmax) {
        return Math.min(Math.max(nearestInt(0.5f * (id * v - 1)), 0), kmax - 1);
    }

    /**
     * ggml's own {@code nearest_int}: adds 1.5·2²³ in float and reads the mantissa. Ties to even, equal to
     * {@link Rounding#nearestInt} for |v| ≤ 4194303, and beyond that the same out-of-range value as ggml;
     * a float add and two integer ops, cheaper than a double round trip in the hot level loops.
     */
    static int nearestInt(float v) {
        return (Float.floatToRawIntBits(v + 12582912f) & 0x007FFFFF) - 0x00400000;
    }

    /** Sub-block scale code {@code clamp(nearest_int(0.5·(id·scale − 1)), 0, lmax)}. */
    static int scaleCode(float id, float scale, int lmax) {
        return Rounding.clamp(nearestInt(0.5f * (id * scale - 1)), 0, lmax);
    }

    static int le16(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    static int le32(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }

    static void put16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }
}
