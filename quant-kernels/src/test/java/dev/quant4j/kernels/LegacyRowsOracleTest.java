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
