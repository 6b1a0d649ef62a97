package dev.quant4j.lowbit.simple;

/**
 * ggml's {@code best_index_int8} (spec section 2.5) for the IQ4 level table, without the binary search.
 *
 * <p>The search ends with {@code lo} = the largest index whose level is {@code <= v} and {@code hi = lo + 1},
 * then picks by {@code v - L[lo] < L[hi] - v} in float. Because the levels are integers, {@code lo} follows
 * from {@code floor(v)}, read here from tables indexed by {@code t = (int) (v + 136)}. That float add may round
 * up to the next integer only when {@code v} is within 2^-16 of a level {@code L[k]}; the tables then propose
 * {@code lo = k} instead of {@code k - 1}, and both pairs choose {@code k}, since {@code v} is far from any
 * midpoint. The final comparison is the upstream one, so every result is the upstream result;
 * Int8NearestTest checks this against a literal binary search.
 */
final class Int8Nearest {
    private static final float OFFSET = 136f;
    /** Entries for t in [0, 271]: every v with |v| < 135 lands inside without clamping. */
    private static final int SIZE = 272;
    /** Largest |v| that {@link #level} takes: the IQ4 search multiplies x by at most 134/|max x|. */
    static final float LEVEL_RANGE = 135f;
    private static final float[] LEVELS = new float[16];
    /** LO[t] = min(14, largest k with level k <= t - 136). */
    private static final byte[] LO = new byte[SIZE];
    /** LOWER[t] = level LO[t], UPPER[t] = level LO[t] + 1. */
    private static final float[] LOWER = new float[SIZE];
    private static final float[] UPPER = new float[SIZE];

    static {
        for (int k = 0; k < 16; k++) {
            LEVELS[k] = SimpleTables.KVALUES_IQ4NL[k];
        }
        for (int t = 0; t < SIZE; t++) {
            int k = 0;
            while (k < 14 && SimpleTables.KVALUES_IQ4NL[k + 1] <= t - (int) OFFSET) {
                k++;
            }
            LO[t] = (byte) k;
            LOWER[t] = LEVELS[k];
            UPPER[t] = LEVELS[k + 1];
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
        // v <= -136 lands on t = 0 (LO = 0) and picks 0; v >= 135 lands on t = 271 (LO = 14) and picks 15
        int t = Math.min(Math.max((int) (v + OFFSET), 0), SIZE - 1);
        return v - LOWER[t] < UPPER[t] - v ? LO[t] : LO[t] + 1;
    }

    /**
     * The level at {@link #index}{@code (v)} for {@code |v| < LEVEL_RANGE}, the hot path of the scale search:
     * no clamp and no second lookup (a v outside the range fails with an index exception, never silently).
     */
    static float level(float v) {
        int t = (int) (v + OFFSET);
        float a = LOWER[t];
        float b = UPPER[t];
        return v - a < b - v ? a : b;
    }
}
