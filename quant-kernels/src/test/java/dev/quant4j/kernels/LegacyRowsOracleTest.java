package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vectorized legacy encoders must write the scalar reference's bytes, for every type and odd offsets. */
class LegacyRowsOracleTest {
    private static final int[] BLOCK_BYTES = {34, 18, 22, 20, 24};

    /** Rows mixing LanesOracleTest's block kinds with signed zeros and repeated magnitudes of both signs. */
    private static float[] row(SplittableRandom r, int n) {
        float[] x = LanesOracleTest.blocks(r, n / 32, 32);
        for (int b = 0; b < n / 32; b++) {
            int kind = r.nextInt(6);
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                switch (kind) {
                    case 0 -> x[i] = r.nextBoolean() ? -0f : 0f;
                    case 1 -> x[i] = (r.nextBoolean() ? 1 : -1) * (r.nextInt(3) + 1) * 0.25f;
                    case 2 -> x[i] = j == 0 ? -0f : Math.abs(x[i]);
                    case 3 -> x[i] = j == 31 ? 0f : -Math.abs(x[i]) - 1e-3f;
                    default -> { }
                }
            }
        }
        return x;
    }

    private static void encode(LegacyRows rows, int type, float[] x, int xOff, int n, byte[] out, int off) {
        switch (type) {
            case 0 -> rows.q8_0(x, xOff, n, out, off);
            case 1 -> rows.symmetric(4, x, xOff, n, out, off);
            case 2 -> rows.symmetric(5, x, xOff, n, out, off);
            case 3 -> rows.affine(4, x, xOff, n, out, off);
            default -> rows.affine(5, x, xOff, n, out, off);
        }
    }

    @Test
    void vectorEqualsScalarForEveryLegacyType() {
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 400; t++) {
            int type = t % 5;
            int n = 32 * (1 + r.nextInt(40));
            float[] x = row(r, n);
            int bytes = n / 32 * BLOCK_BYTES[type];
            byte[] expected = new byte[bytes];
            encode(LegacyRows.scalar(), type, x, 0, n, expected, 0);
            float[] shifted = new float[n + 9];
            System.arraycopy(x, 0, shifted, 5, n);
            byte[] got = new byte[bytes + 7];
            encode(VectorizedLegacyRows.INSTANCE, type, shifted, 5, n, got, 3);
            byte[] window = java.util.Arrays.copyOfRange(got, 3, 3 + bytes);
            assertArrayEquals(expected, window, "trial " + t + " type " + type + " n=" + n);
            assertEquals(0, got[0] | got[1] | got[2], "bytes before the row untouched");
        }
    }

    /** Q4_0 / Q5_0 block decoding from the format (spec sections 3.1, 3.3): (level - 2^(bits-1)) * fp16 d. */
    private static float[] decodeSymmetric(int bits, byte[] in, int off, int n) {
        int nmax = 1 << (bits - 1);
        int qs = bits == 4 ? 2 : 6;
        float[] y = new float[n];
        for (int b = 0; b < n / 32; b++) {
            int o = off + b * (qs + 16);
            float d = LittleEndian.getHalf(in, o);
            int qh = bits == 5 ? (in[o + 2] & 0xFF) | (in[o + 3] & 0xFF) << 8 | (in[o + 4] & 0xFF) << 16
                    | (in[o + 5] & 0xFF) << 24 : 0;
            for (int j = 0; j < 16; j++) {
                int lo = in[o + qs + j] & 15 | ((qh >>> j) & 1) << 4;
                int hi = (in[o + qs + j] >> 4) & 15 | ((qh >>> (j + 16)) & 1) << 4;
                y[b * 32 + j] = (lo - nmax) * d;
                y[b * 32 + j + 16] = (hi - nmax) * d;
            }
        }
        return y;
    }

    @Test
    void restoredRowIsTheDecodedRowInEveryForm() {
        SplittableRandom r = new SplittableRandom(11);
        LegacyRows[] forms = {LegacyRows.scalar(), VectorizedLegacyRows.INSTANCE, LegacyRows.create()};
        for (int t = 0; t < 300; t++) {
            int bits = t % 2 == 0 ? 4 : 5;
            int n = 32 * (1 + r.nextInt(40));
            float[] x = row(r, n);
            float[] shifted = new float[n + 9];
            System.arraycopy(x, 0, shifted, 5, n);
            int bytes = n / 32 * BLOCK_BYTES[bits == 4 ? 1 : 2];
            byte[] plain = new byte[bytes];
            LegacyRows.scalar().symmetric(bits, x, 0, n, plain, 0);
            float[] expected = decodeSymmetric(bits, plain, 0, n);
            for (LegacyRows form : forms) {
                byte[] out = new byte[bytes + 3];
                float[] restored = new float[n + 4];
                form.symmetric(bits, shifted, 5, n, out, 3, restored, 2);
                String where = "trial " + t + " bits " + bits + " n=" + n + " " + form.getClass().getSimpleName();
                assertArrayEquals(plain, java.util.Arrays.copyOfRange(out, 3, 3 + bytes), where + ": bytes");
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(restored, 2, 2 + n), where + ": restored");
                assertEquals(0, restored[0] + restored[1] + restored[n + 2] + restored[n + 3], where + ": outside");
            }
        }
    }

    @Test
    void symmetricMaxIsTheFirstOfEqualMagnitudes() {
        // |-2| == |2|: the first one (-2) is the signed max, so d = -2 / -8 = 0.25 and q(-2) = 0, q(2) = 15
        float[] x = new float[32];
        x[3] = -2f;
        x[9] = 2f;
        for (LegacyRows rows : new LegacyRows[] {LegacyRows.scalar(), VectorizedLegacyRows.INSTANCE}) {
            byte[] out = new byte[18];
            rows.symmetric(4, x, 0, 32, out, 0);
            assertEquals(0.25f, LittleEndian.getHalf(out, 0));
            assertEquals(0x80, out[2 + 3] & 0xFF, "x[3] = -2 -> level 0, x[19] = 0 -> level 8");
            assertEquals(0x8F, out[2 + 9] & 0xFF, "x[9] = 2 -> level 15 (clamped), x[25] = 0 -> 8");
        }
    }
}
