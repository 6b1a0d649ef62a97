package dev.quant4j.integer.ggml;

/** Helpers shared by the 32-element legacy types (spec section 3). */
final class LegacyBlocks {
    static final int QK = 32;

    private LegacyBlocks() {
    }

    /** {@code sigma2} of the imatrix paths: the mean of {@code x^2} over the whole row. */
    static float rowSigma2(float[] x, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i] * x[i];
        }
        return sum / n;
    }

    /** {@code weight[j] = qw[c + j] * sqrt(sigma2 + x[c + j]^2)} for the block starting at column {@code c}. */
    static void weights(float[] x, float[] qw, int c, float sigma2, float[] weight) {
        for (int j = 0; j < QK; j++) {
            float v = x[c + j];
            weight[j] = qw[c + j] * (float) Math.sqrt(sigma2 + v * v);
        }
    }

    /** Nibble-pair packing: byte j = low nibble of q[j] | low nibble of q[j+16] << 4. */
    static void pack4(byte[] q, byte[] out, int off) {
        for (int j = 0; j < QK / 2; j++) {
            out[off + j] = (byte) ((q[j] & 15) | (q[j + 16] & 15) << 4);
        }
    }

    /** The fifth bits of 32 levels as the little-endian uint32 {@code qh}. */
    static int highBits(byte[] q) {
        int qh = 0;
        for (int j = 0; j < QK; j++) {
            qh |= ((q[j] >> 4) & 1) << j;
        }
        return qh;
    }
}
