package dev.quant4j.integer.ggml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.QxQuants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Q6_K's encoder restores the row while requantizing: the restored values must be the decoder's, and a sub-block
 * whose step {@code d * scale} rounds to 0 must keep the search's levels (ggml skips its requantization).
 */
class Q6KRestoredRowTest {
    private static final int QK = 256;
    private static final int BYTES = 210;

    /** Rows of Gaussian super-blocks, all-zero super-blocks and super-blocks with one near-silent sub-block. */
    private static float[] row(SplittableRandom r, int blocks) {
        float[] x = new float[blocks * QK];
        for (int b = 0; b < blocks; b++) {
            int kind = r.nextInt(4);
            int quiet = r.nextInt(16);
            double sigma = Math.scalb(1.0, r.nextInt(-12, 2));
            for (int i = 0; i < QK; i++) {
                double g = r.nextGaussian() * sigma;
                x[b * QK + i] = (float) switch (kind) {
                    case 0 -> 0.0;
                    case 1 -> i / 16 == quiet ? g * 1e-4 : g; // that sub-block's int8 scale rounds to 0
                    default -> g;
                };
            }
        }
        return x;
    }

    @Test
    void restoredRowIsTheDecodedRow() {
        Q6_KCodec codec = new Q6_KCodec();
        SplittableRandom r = new SplittableRandom(21);
        for (int t = 0; t < 60; t++) {
            int blocks = 1 + r.nextInt(8);
            int n = blocks * QK;
            float[] x = row(r, blocks + 1);
            int xOff = QK * r.nextInt(2) + r.nextInt(3);
            float[] qw = r.nextBoolean() ? null : weights(r, n);
            byte[] plain = new byte[blocks * BYTES + 4];
            byte[] restoring = new byte[blocks * BYTES + 4];
            float[] restored = new float[n];
            float[] src = java.util.Arrays.copyOf(x, Math.max(x.length, xOff + n));
            codec.encode(src, xOff, n, qw, plain, 4);
            assertTrue(codec.encodeRestoring(src, xOff, n, qw, restoring, 4, restored));
            assertArrayEquals(plain, restoring, "bytes, trial " + t);
            float[] decoded = new float[n];
            codec.decode(plain, 4, decoded, 0, n);
            for (int i = 0; i < n; i++) {
                // the decoder gives -0.0 where a step is 0 and the level negative; the error sums cannot tell
                float want = decoded[i] == 0f ? 0f : decoded[i];
                float got = restored[i] == 0f ? 0f : restored[i];
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got),
                        "trial " + t + " value " + i);
            }
        }
    }

    @Test
    void zeroStepSubBlockKeepsTheSearchLevels() {
        Q6_KCodec codec = new Q6_KCodec();
        SplittableRandom r = new SplittableRandom(22);
        int checked = 0;
        for (int t = 0; t < 40; t++) {
            float[] x = new float[QK];
            int quiet = r.nextInt(16);
            for (int i = 0; i < QK; i++) {
                double g = r.nextGaussian() * 0.02;
                x[i] = (float) (i / 16 == quiet ? g * 1e-4 : g);
            }
            byte[] out = new byte[BYTES];
            codec.encode(x, 0, QK, null, out, 0);
            if (out[192 + quiet] != 0) {
                continue;
            }
            checked++;
            byte[] want = new byte[16];
            QxQuants.make(16, 32, x, 16 * quiet, null, 0, want, 0);
            assertArrayEquals(want, levels(out, quiet), "trial " + t);
        }
        assertTrue(checked > 20, "sub-blocks with a zero int8 scale: " + checked);
    }

    /** The 16 stored 6-bit levels (0 .. 63) of sub-block {@code j} of one super-block, read from the format. */
    private static byte[] levels(byte[] b, int j) {
        byte[] l = new byte[16];
        for (int k = 0; k < 16; k++) {
            int i = 16 * j + k; // element of the super-block
            int h = i / 128;
            int q = (i % 128) / 32; // which of the four quarter rows
            int lane = i % 32;
            int ql = b[64 * h + 32 * (q % 2) + lane] & 0xFF;
            int low = q < 2 ? ql & 15 : ql >> 4;
            int high = (b[128 + 32 * h + lane] >> (2 * q)) & 3;
            l[k] = (byte) (low | high << 4);
        }
        return l;
    }

    private static float[] weights(SplittableRandom r, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = r.nextInt(10) == 0 ? 0f : (float) (r.nextDouble() * 3);
        }
        return w;
    }
}
