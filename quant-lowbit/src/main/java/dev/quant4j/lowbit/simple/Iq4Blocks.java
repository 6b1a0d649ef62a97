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
    /** Pass 0 plus the tries -NTRY..NTRY. */
    private static final int PASSES = 2 * NTRY + 2;

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
        // pass 0 maps with id = 1/d, d = -max/-127 (positive mapping); the 2*NTRY+1 tries use the negative one
        // (the levels are asymmetric). Every pass sums over j in order on its own, so the 16 passes run eight at a
        // time (independent accumulator chains, same bits); only the choice among them is sequential.
        float[] ids = new float[PASSES];
        ids[0] = 1f / (-max / (float) MIN_LEVEL);
        for (int itry = -NTRY; itry <= NTRY; itry++) {
            ids[itry + NTRY + 1] = (float) (itry + MIN_LEVEL) / max;
        }
        float[] sums = new float[2 * PASSES];
        for (int p = 0; p < PASSES; p += 8) {
            sums8(x, off, w, ids, p, sums);
        }
        float sumqx = sums[0];
        float sumq2 = sums[1];
        float d = sumq2 > 0 ? sumqx / sumq2 : 0f;
        float best = d * sumqx;
        for (int p = 1; p < PASSES; p++) {
            sumqx = sums[2 * p];
            sumq2 = sums[2 * p + 1];
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                d = sumqx / sumq2;
                best = d * sumqx;
            }
        }
        return d;
    }

    /**
     * {@code sumqx = sum (w*q)*x} and {@code sumq2 = sum (w*q)*q}, {@code q} the level nearest {@code id*x}, for
     * the eight passes {@code ids[p..p+8)}, into {@code sums[2p..2p+16)}. Eight independent accumulator pairs keep
     * the float adders busy; each pair still sums in index order. Every {@code |id*x| <= 134 (1 + 2^-23)}, since
     * {@code |id| <= 134/|max|} and {@code |x| <= |max|}, which {@link Int8Nearest#level(float)} requires.
     */
    private static void sums8(float[] x, int off, float[] w, float[] ids, int p, float[] sums) {
        float id0 = ids[p];
        float id1 = ids[p + 1];
        float id2 = ids[p + 2];
        float id3 = ids[p + 3];
        float id4 = ids[p + 4];
        float id5 = ids[p + 5];
        float id6 = ids[p + 6];
        float id7 = ids[p + 7];
        float qx0 = 0f;
        float qx1 = 0f;
        float qx2 = 0f;
        float qx3 = 0f;
        float qx4 = 0f;
        float qx5 = 0f;
        float qx6 = 0f;
        float qx7 = 0f;
        float q20 = 0f;
        float q21 = 0f;
        float q22 = 0f;
        float q23 = 0f;
        float q24 = 0f;
        float q25 = 0f;
        float q26 = 0f;
        float q27 = 0f;
        for (int j = 0; j < BLOCK; j++) {
            float xv = x[off + j];
            float wj = w[j];
            float q0 = Int8Nearest.level(id0 * xv);
            float q1 = Int8Nearest.level(id1 * xv);
            float q2 = Int8Nearest.level(id2 * xv);
            float q3 = Int8Nearest.level(id3 * xv);
            float q4 = Int8Nearest.level(id4 * xv);
            float q5 = Int8Nearest.level(id5 * xv);
            float q6 = Int8Nearest.level(id6 * xv);
            float q7 = Int8Nearest.level(id7 * xv);
            float wq0 = wj * q0;
            float wq1 = wj * q1;
            float wq2 = wj * q2;
            float wq3 = wj * q3;
            float wq4 = wj * q4;
            float wq5 = wj * q5;
            float wq6 = wj * q6;
            float wq7 = wj * q7;
            qx0 += wq0 * xv;
            q20 += wq0 * q0;
            qx1 += wq1 * xv;
            q21 += wq1 * q1;
            qx2 += wq2 * xv;
            q22 += wq2 * q2;
            qx3 += wq3 * xv;
            q23 += wq3 * q3;
            qx4 += wq4 * xv;
            q24 += wq4 * q4;
            qx5 += wq5 * xv;
            q25 += wq5 * q5;
            qx6 += wq6 * xv;
            q26 += wq6 * q6;
            qx7 += wq7 * xv;
            q27 += wq7 * q7;
        }
        int o = 2 * p;
        sums[o] = qx0;
        sums[o + 1] = q20;
        sums[o + 2] = qx1;
        sums[o + 3] = q21;
        sums[o + 4] = qx2;
        sums[o + 5] = q22;
        sums[o + 6] = qx3;
        sums[o + 7] = q23;
        sums[o + 8] = qx4;
        sums[o + 9] = q24;
        sums[o + 10] = qx5;
        sums[o + 11] = q25;
        sums[o + 12] = qx6;
        sums[o + 13] = q26;
        sums[o + 14] = qx7;
        sums[o + 15] = q27;
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
