package dev.quant4j.lowbit.simple;

/**
 * ggml's {@code best_index_int8} (spec section 2.5) for the IQ4 level table, without the binary search.
 *
 * <p>The search ends with {@code lo} = the largest index whose level is {@code <= v} and {@code hi = lo + 1},
 * then picks by {@code v - L[lo] < L[hi] - v} in float. Because the levels are integers, {@code lo} follows
 * from {@code floor(v)}, read here from a table indexed by {@code (int) (v + 128)}. That float add may round
 * up to the next integer only when {@code v} is within 2^-16 of a level {@code L[k]}; the table then
 * proposes {@code lo = k} instead of {@code k - 1}, and both pairs choose {@code k}, since {@code v} is far
 * from any midpoint. The final comparison is the upstream one, so every result is the upstream result;
 * Int8NearestTest checks this against a literal binary search.
 */
final class Int8Nearest {
    private static final int OFFSET = 128;
    private static final float[] LEVELS = new float[16];
    /** LO[t] = min(14, largest k with level k <= t - 128), for t in [0, 241]. */
    private static final byte[] LO = new byte[242];

    static {
        for (int k = 0; k < 16; k++) {
            LEVELS[k] = SimpleTables.KVALUES_IQ4NL[k];
        }
        for (int t = 0; t < LO.length; t++) {
            int k = 0;
            while (k < 14 && SimpleTables.KVALUES_IQ4NL[k + 1] <= t - OFFSET) {
                k++;
            }
            LO[t] = (byte) k;
        }
    }

    private Int8Nearest() {
    }

    /** The IQ4 level (as float) of index {@code i}. */
    static float level(int i) {
        return LEVELS[i];
    }

    /** Index of the IQ4 level nearest to {@code v}, exactly as {@code best_index_int8(16, kvalues_iq4nl, v)}. */
    static int index(float v) {
        // v <= -127 lands on t <= 1 (LO = 0) and picks 0; v >= 113 lands on t = 241 (LO = 14) and picks 15.
        int t = Math.min(Math.max((int) (v + OFFSET), 0), LO.length - 1);
        int lo = LO[t];
        return v - LEVELS[lo] < LEVELS[lo + 1] - v ? lo : lo + 1;
    }
}
