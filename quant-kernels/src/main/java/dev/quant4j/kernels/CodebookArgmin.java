package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorCodebookArgmin;

/**
 * The inner loop of the IQ3 codebook searches: of n candidates, each 4 term indices, the first one
 * with the smallest total, the total being the candidate's terms added from coordinate 0 on. Totals are
 * compared by their raw IEEE bits as signed ints, which orders them like their values when every term is +0,
 * positive or +∞ (the callers' "plain" case); ties go to the earlier candidate. A total whose bits are not
 * below {@code Float.MAX_VALUE}'s never wins (ggml's running best starts there): then -1.
 *
 * <p>Vectorized (one candidate per lane) when enabled and 16 lanes are native, else the scalar reference;
 * both return the same index for every input.
 */
public final class CodebookArgmin {
    private static final int MAX_BITS = Float.floatToRawIntBits(Float.MAX_VALUE);
    private static final boolean VECTOR = Vectorization.enabled() && VectorCodebookArgmin.supported();

    private CodebookArgmin() {
    }

    /** True when the vectorized searches run. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * 4 coordinates: candidate k is {@code entries[from + k]} with the index (0–31) of coordinate i's term in
     * bits 5i .. 5i+4, the term at {@code t[b + index]}. Returns k or -1.
     */
    public static int argmin4(float[] t, int b, int[] entries, int from, int n) {
        return VECTOR ? VectorCodebookArgmin.argmin4(t, b, entries, from, n) : argmin4Scalar(t, b, entries, from, n);
    }

    /** The scalar reference of {@link #argmin4}. */
    public static int argmin4Scalar(float[] t, int b, int[] entries, int from, int n) {
        long bestKey = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int v = entries[from + k];
            float d2 = t[b + (v & 31)] + t[b + ((v >>> 5) & 31)] + t[b + ((v >>> 10) & 31)] + t[b + ((v >>> 15) & 31)];
            bestKey = Math.min(bestKey, (long) Float.floatToRawIntBits(d2) << 32 | k);
        }
        return (int) (bestKey >>> 32) >= MAX_BITS ? -1 : (int) bestKey;
    }
}
