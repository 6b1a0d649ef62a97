package dev.quant4j.lowbit.simple;

/**
 * The 4-bit E2M1 codes shared by MXFP4 and NVFP4 (spec sections 7 and 10): ggml's {@code kvalues_mxfp4}, which
 * hold the E2M1 values doubled (so the scales that go with them are halved), and its nearest-code search.
 */
final class E2m1 {
    /** {@code kvalues_mxfp4} as floats: 0, 1, 2, 3, 4, 6, 8, 12, then the same negated (code 8 is zero again). */
    static final float[] LEVELS = new float[16];

    static {
        for (int i = 0; i < 16; i++) {
            LEVELS[i] = SimpleTables.KVALUES_MXFP4[i];
        }
    }

    private E2m1() {
    }

    /**
     * First code minimizing {@code |level * s - x|} over all 16 codes (strict {@code <}: ties keep the lower code,
     * +0 before -0), as ggml's {@code best_index_mxfp4}, with the same float arithmetic but fewer evaluations
     * (s >= 0). Two facts make it exact:
     * <ul>
     * <li>For a magnitude {@code a = level * s} of code i and its negation (code i + 8, computed as exactly
     *     {@code -a}), the errors are {@code fl(|a - x|)} and {@code fl(a + x)} for x >= 0 (the other way round
     *     for x < 0); rounding is monotone, so the code on x's side is never worse. For x >= 0 that code also
     *     comes first, so only codes 0..7 matter. For x < 0 the codes 8..15 hold the minimum m; a code 0..7 wins
     *     only by tying m, and then code 0 (error |x|, the smallest of that half) ties it too and comes first;
     *     that happens exactly when the minimum is code 8's |x|.</li>
     * <li>Within one half the magnitudes ascend, so the rounded errors fall then rise (weakly): the scan stops at
     *     the first error above the best so far.</li>
     * </ul>
     * {@code nearestByScan} in the tests is the plain 16-code scan this is checked against.
     */
    static int nearest(float x, float s) {
        float ax = Math.abs(x);
        int best = 0;
        float bestErr = Math.abs(LEVELS[0] * s - ax);  // codes 0..7 hold the magnitudes of both halves
        for (int i = 1; i < 8; i++) {
            float err = Math.abs(LEVELS[i] * s - ax);
            if (err < bestErr) {
                best = i;
                bestErr = err;
            } else if (err > bestErr) {
                break;
            }
        }
        if (x >= 0) {
            return best;
        }
        return best == 0 ? 0 : best + 8;  // best 0: code 8 (-0) ties code 0 (+0), which comes first
    }

    /**
     * Packs the codes of 2h values {@code x[base..base+2h)} at scale {@code s} into h bytes at {@code out[o..]}:
     * byte j holds value j in its low nibble and value j + h in its high nibble.
     */
    static void pack(float[] x, int base, int h, float s, byte[] out, int o) {
        for (int j = 0; j < h; j++) {
            out[o + j] = (byte) (nearest(x[base + j], s) | nearest(x[base + j + h], s) << 4);
        }
    }

    /** The inverse of {@link #pack}: {@code dst[d0 + j] = level * s}, low nibbles first. */
    static void unpack(byte[] src, int o, int h, float s, float[] dst, int d0) {
        for (int j = 0; j < h; j++) {
            int b = src[o + j];
            dst[d0 + j] = LEVELS[b & 15] * s;
            dst[d0 + j + h] = LEVELS[(b >> 4) & 15] * s;
        }
    }
}
