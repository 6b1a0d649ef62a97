package dev.quant4j.integer.ggml;

/** Helpers shared by the 32-element legacy types (spec section 3). */
final class LegacyBlocks {
    static final int QK = 32;

    private LegacyBlocks() {
    }

    /**
     * The imatrix paths' weights for a whole row: {@code qw[j] * sqrt(sigma2 + x[j]^2)} with {@code sigma2}
     * the mean of {@code x^2} over the row.
     */
    static float[] weights(float[] x, int n, float[] qw) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i] * x[i];
        }
        float sigma2 = sum / n;
        float[] weight = new float[n];
        for (int i = 0; i < n; i++) {
            weight[i] = qw[i] * (float) Math.sqrt(sigma2 + x[i] * x[i]);
        }
        return weight;
    }

    /** Nibble-pair packing of the block at {@code q[c ..]}: byte j = q[c+j] | q[c+j+16] << 4 (low nibbles). */
    static void pack4(byte[] q, int c, byte[] out, int off) {
        for (int j = 0; j < QK / 2; j++) {
            out[off + j] = (byte) ((q[c + j] & 15) | (q[c + j + 16] & 15) << 4);
        }
    }

    /** The fifth bits of the block's 32 levels at {@code q[c ..]} as the little-endian uint32 {@code qh}. */
    static int highBits(byte[] q, int c) {
        int qh = 0;
        for (int j = 0; j < QK; j++) {
            qh |= ((q[c + j] >> 4) & 1) << j;
        }
        return qh;
    }
}
