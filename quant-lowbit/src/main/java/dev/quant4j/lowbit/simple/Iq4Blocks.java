package dev.quant4j.lowbit.simple;

/**
 * The 32-element scale search shared by IQ4_NL and IQ4_XS (spec section 5.1 steps 2-5, {@code ntry = 7}),
 * in binary32 with the upstream operation order.
 */
final class Iq4Blocks {
    static final int BLOCK = 32;
    private static final float EPS = 1e-15f;
    private static final int NTRY = 7;
    private static final int MIN_LEVEL = -127;

    private Iq4Blocks() {
    }

    /** {@code sum of x^2} over {@code [off, off + n)}, sequential. */
    static float sumSquares(float[] x, int off, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            float v = x[off + j];
            s += v * v;
        }
        return s;
    }

    /**
     * Fills {@code w[0..32)} with the weights of the block at {@code x[off..]}: {@code qw * sqrt(sigma2 + x^2)}
     * with importance, {@code x^2} without ({@code qw} is indexed like {@code x}).
     */
    static void weights(float[] x, int off, float[] qw, float sigma2, float[] w) {
        if (qw == null) {
            for (int j = 0; j < BLOCK; j++) {
                float v = x[off + j];
                w[j] = v * v;
            }
        } else {
            for (int j = 0; j < BLOCK; j++) {
                float v = x[off + j];
                w[j] = qw[off + j] * (float) Math.sqrt(sigma2 + v * v);
            }
        }
    }

    /** The fitted scale of the block at {@code x[off..off+32)} with weights {@code w}; 0 for a zero block. */
    static float scale(float[] x, int off, float[] w) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < BLOCK; j++) {
            float ax = Math.abs(x[off + j]);
            if (ax > amax) {
                amax = ax;
                max = x[off + j];
            }
        }
        if (amax < EPS) {
            return 0f;
        }
        float d = -max / (float) MIN_LEVEL;
        // pass 0 uses the positive mapping id = 1/d, the tries below the negative one (levels are asymmetric)
        float id = 1f / d;
        float sumqx = 0f;
        float sumq2 = 0f;
        for (int j = 0; j < BLOCK; j++) {
            float xv = x[off + j];
            float q = Int8Nearest.level(Int8Nearest.index(id * xv));
            float wq = w[j] * q;
            sumqx += wq * xv;
            sumq2 += wq * q;
        }
        d = sumq2 > 0 ? sumqx / sumq2 : 0f;
        float best = d * sumqx;
        for (int itry = -NTRY; itry <= NTRY; itry++) {
            id = (float) (itry + MIN_LEVEL) / max;
            sumqx = 0f;
            sumq2 = 0f;
            for (int j = 0; j < BLOCK; j++) {
                float xv = x[off + j];
                float q = Int8Nearest.level(Int8Nearest.index(id * xv));
                float wq = w[j] * q;
                sumqx += wq * xv;
                sumq2 += wq * q;
            }
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                d = sumqx / sumq2;
                best = d * sumqx;
            }
        }
        return d;
    }

    /**
     * Writes the 16 bytes of nibble-pair packed level indices of {@code x[off..off+32)} mapped with
     * {@code id} (first half in low nibbles) to {@code out[o..o+16)}.
     */
    static void packIndices(float[] x, int off, float id, byte[] out, int o) {
        for (int j = 0; j < BLOCK / 2; j++) {
            int lo = Int8Nearest.index(id * x[off + j]);
            int hi = Int8Nearest.index(id * x[off + j + BLOCK / 2]);
            out[o + j] = (byte) (lo | hi << 4);
        }
    }

    /** Decodes 32 values {@code dl * level(idx)} from the packed indices at {@code src[o..o+16)}. */
    static void unpack(byte[] src, int o, float dl, float[] dst, int d0) {
        for (int j = 0; j < BLOCK / 2; j++) {
            int b = src[o + j];
            dst[d0 + j] = dl * Int8Nearest.level(b & 15);
            dst[d0 + j + BLOCK / 2] = dl * Int8Nearest.level((b >> 4) & 15);
        }
    }
}
