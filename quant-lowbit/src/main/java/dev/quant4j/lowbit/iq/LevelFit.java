package dev.quant4j.lowbit.iq;

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
        this.qx = new float[n * stride];
        this.q2 = new float[n * stride];
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
