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

    /** First code minimizing {@code |level * s - x|} (strict {@code <}: ties keep the lower code, +0 before -0). */
    static int nearest(float x, float s) {
        int best = 0;
        float bestErr = Math.abs(LEVELS[0] * s - x);
        for (int i = 1; i < 16; i++) {
            float err = Math.abs(LEVELS[i] * s - x);
            if (err < bestErr) {
                best = i;
                bestErr = err;
            }
        }
        return best;
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
