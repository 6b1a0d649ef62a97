package dev.quant4j.lowbit.iq;

import dev.quant4j.kernels.LevelSums;

/**
 * The fit sums of every scale pass, {@code Σ w·xval·q} and {@code Σ w·q·q} with {@code q = 2L+1}. ggml
 * computes each term as {@code (w·xval)·q} and {@code (w·q)·q}; both depend only on (value, level), so they
 * are tabulated once per sub-block and every pass just adds table entries in the same order. One instance
 * per quantize call.
 */
final class LevelFit {
    private final int stride;
    private final float[] qx;
    private final float[] q2;
    /** {@code Σ (w·xval)·q} of the last {@link #sum}. */
    float sumQx;
    /** {@code Σ (w·q)·q} of the last {@link #sum}. */
    float sumQ2;

    LevelFit(int n, int levels) {
        this.stride = Integer.highestOneBit(levels - 1) << 1;
        // 16 floats of slack: the vector pass sums load 16 from each value's first entry
        this.qx = new float[n * stride + 16];
        this.q2 = new float[n * stride + 16];
    }

    /** Tabulates the terms of levels {@code 0 .. levels-1} for the n values. */
    void prepare(float[] w, float[] xval, int n, int levels) {
        for (int i = 0; i < n; i++) {
            float wx = w[i] * xval[i];
            for (int l = 0; l < levels; l++) {
                float q = 2 * l + 1;
                qx[i * stride + l] = wx * q;
                q2[i * stride + l] = w[i] * q * q;
            }
        }
    }

    /**
     * Both sums over the n values at their levels, into {@link #sumQx} and {@link #sumQ2} (one loop: the two
     * dependent addition chains overlap).
     */
    void sum(byte[] levels, int n) {
        sum(levels, 0, n);
    }

    /**
     * The sums of every IQ2 scale pass at once (levels of 2 bits, so {@code stride == 4}): group k's code of
     * pass p at {@code codes[k·codeStride + p]} (value i at bits {@code 2·(i%8)}); pass p's sums into
     * {@code sumQx[p]}, {@code sumQ2[p]} — the same additions as {@link #sum} on that pass's levels.
     */
    void sumCodes(int[] codes, int codeStride, int passes, int n, float[] sumQx, float[] sumQ2) {
        if (stride != 4) {
            throw new IllegalStateException("pass codes hold 2-bit levels");
        }
        LevelSums.codes8(codes, codeStride, passes, n, qx, q2, sumQx, sumQ2);
    }

    /** {@link #sum} of the levels at {@code levels[from .. from+n)}. */
    void sum(byte[] levels, int from, int n) {
        float sx = 0;
        float s2 = 0;
        for (int i = 0; i < n; i++) {
            int at = i * stride + levels[from + i];
            sx += qx[at];
            s2 += q2[at];
        }
        sumQx = sx;
        sumQ2 = s2;
    }
}
