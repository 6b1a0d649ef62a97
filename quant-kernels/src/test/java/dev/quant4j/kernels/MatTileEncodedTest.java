package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.MatTile.Encoding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MatTile#multiplyEncoded}: F16 and Q8_0 weights read from memory give the same bits as decoding them with
 * {@link Encoding#decodeRow} and multiplying the floats, for the vector kernel (which decodes straight into its
 * transposed panels) and the scalar oracle's default; and the decoding itself against hand-computed values.
 */
class MatTileEncodedTest {
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static long rowBytes(Encoding e, int cols) {
        return (long) cols / e.blockValues() * e.blockBytes();
    }

    /** A random half, every 7th a subnormal or a signed zero. */
    private static short half(SplittableRandom r, double range, int i) {
        return i % 7 == 3 ? (short) (r.nextInt(0x400) | (r.nextBoolean() ? 0x8000 : 0))
                : Float.floatToFloat16((float) ((r.nextDouble() * 2 - 1) * range));
    }

    /** Random rows at {@code offset}, {@code stride} bytes apart (padding between the rows). */
    private static void fill(SplittableRandom r, Encoding e, MemorySegment seg, long offset, long stride, int rows,
                             int cols) {
        for (int i = 0; i < rows; i++) {
            long row = offset + i * stride;
            for (int k = 0; k < cols; k++) {
                if (e == Encoding.F16) {
                    seg.set(HALF, row + 2L * k, half(r, 2, i * cols + k));
                } else if (e == Encoding.Q6_K && k % 256 == 0) { // random quants and int8 scales, d last
                    long b = row + (long) k / 256 * e.blockBytes();
                    for (int j = 0; j < 208; j++) {
                        seg.set(ValueLayout.JAVA_BYTE, b + j, (byte) r.nextInt(256));
                    }
                    seg.set(HALF, b + 208, half(r, 0.001, i + k));
                } else if (k % e.blockValues() == 0) { // the scale halves, then random bytes (quants, 6-bit scales)
                    long b = row + (long) k / e.blockValues() * e.blockBytes();
                    int halves = e == Encoding.Q4_K ? 2 : 1;
                    for (int j = 0; j < halves; j++) {
                        seg.set(HALF, b + 2 * j, half(r, 0.05, i + k + j));
                    }
                    for (int j = 2 * halves; j < e.blockBytes(); j++) {
                        seg.set(ValueLayout.JAVA_BYTE, b + j, (byte) r.nextInt(256));
                    }
                }
            }
        }
    }

    @Test
    void decodesByHand() {
        MemorySegment seg = MemorySegment.ofArray(new byte[34 + 6]);
        seg.set(HALF, 0, (short) 0x3800); // d = 0.5
        seg.set(ValueLayout.JAVA_BYTE, 2, (byte) -128);
        seg.set(ValueLayout.JAVA_BYTE, 3, (byte) 127);
        seg.set(ValueLayout.JAVA_BYTE, 33, (byte) 3);
        float[] q8 = new float[32];
        Encoding.Q8_0.decodeRow(seg, 0, 32, q8, 0);
        assertEquals(-64f, q8[0]);
        assertEquals(63.5f, q8[1]);
        assertEquals(0f, q8[2]);
        assertEquals(1.5f, q8[31]);
        MemorySegment k4 = MemorySegment.ofArray(new byte[144]);
        k4.set(HALF, 0, (short) 0x3800); // d = 0.5
        k4.set(HALF, 2, (short) 0x3C00); // dmin = 1
        k4.set(ValueLayout.JAVA_BYTE, 4, (byte) (0xC0 | 3)); // scale 0 = 3; top bits 3 = bits 4-5 of scale 4
        k4.set(ValueLayout.JAVA_BYTE, 8, (byte) 2); // min 0 = 2
        k4.set(ValueLayout.JAVA_BYTE, 8 + 4, (byte) 0x51); // scale 4 low nibble 1, min 4 low bits 5
        k4.set(ValueLayout.JAVA_BYTE, 16, (byte) 0x9F); // sub-block 0 value 0: 15; sub-block 1 value 0: 9
        k4.set(ValueLayout.JAVA_BYTE, 16 + 64, (byte) 0x07); // sub-block 4 value 0: 7
        float[] q4 = new float[256];
        Encoding.Q4_K.decodeRow(k4, 0, 256, q4, 0);
        assertEquals(0.5f * 3 * 15 - 2, q4[0]);
        assertEquals(-2f, q4[1]); // q 0: -dmin * min
        assertEquals(0f, q4[32]); // sub-block 1: scale 0, min 0
        assertEquals(0.5f * (1 | 3 << 4) * 7 - 5, q4[128]);
        MemorySegment k6 = MemorySegment.ofArray(new byte[210]);
        k6.set(HALF, 208, (short) 0x3800); // d = 0.5
        k6.set(ValueLayout.JAVA_BYTE, 192, (byte) 3); // scale of values 0-15
        k6.set(ValueLayout.JAVA_BYTE, 192 + 4, (byte) -2); // scale of values 64-79 (third quarter, first 16)
        k6.set(ValueLayout.JAVA_BYTE, 192 + 9, (byte) 5); // scale of values 144-159 (second half, first quarter, l 16-31)
        k6.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x7A); // value 0 low nibble 10, value 64 low nibble 7
        k6.set(ValueLayout.JAVA_BYTE, 128, (byte) 0x32); // value 0 high bits 2, value 64 high bits 3
        k6.set(ValueLayout.JAVA_BYTE, 64 + 16, (byte) 0x01); // value 144 low nibble 1, high bits 0
        float[] q6 = new float[256];
        Encoding.Q6_K.decodeRow(k6, 0, 256, q6, 0);
        assertEquals(0.5f * 3 * ((10 | 2 << 4) - 32), q6[0]); // q = 42
        assertEquals(0.5f * -2 * ((7 | 3 << 4) - 32), q6[64]); // q = 55
        assertEquals(0.5f * 5 * (1 - 32), q6[144]);
        assertEquals(-48f, q6[1]); // zero bits: q - 32 = -32, scale 3, d 0.5
        seg.set(HALF, 34, (short) 0xC000); // -2
        seg.set(HALF, 36, (short) 0x0001); // the smallest subnormal, 2^-24
        seg.set(HALF, 38, (short) 0x7BFF); // 65504
        float[] f16 = new float[3];
        Encoding.F16.decodeRow(seg, 34, 3, f16, 0);
        assertArrayEquals(new float[] {-2f, 0x1p-24f, 65504f}, f16);
    }

    @Test
    void sameBitsAsDecodingFirst() {
        assertTrue(Vectorization.enabled(), "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(5);
        int[][] shapes = {{1, 32, 1}, {3, 64, 1}, {4, 32, 2}, {5, 96, 3}, {16, 160, 8}, {33, 128, 4}, {32, 256, 6},
            {64, 768, 6}, {80, 64, 1}, {96, 288, 7}, {128, 608, 13}, {130, 1056, 12}, {64, 2112, 7}, {32, 1024, 5}};
        for (Encoding e : Encoding.values()) {
            for (MatTile k : new MatTile[] {MatTile.create(), MatTile.scalar()}) {
                for (int[] s : shapes) {
                    int rows = s[0], tokens = s[2];
                    int cols = e.blockValues() == 256 ? Math.max(256, s[1] / 256 * 256 + (s[1] % 7) / 3 * 256) : s[1];
                    long offset = 6, stride = rowBytes(e, cols) + 10; // unaligned rows with padding between them
                    float[] w = new float[rows * cols];
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment seg = arena.allocate(offset + rows * stride);
                        fill(r, e, seg, offset, stride, rows, cols);
                        for (int i = 0; i < rows; i++) {
                            e.decodeRow(seg, offset + i * stride, cols, w, i * cols);
                        }
                        float[] x = MatTileOracleTest.random(r, tokens * cols);
                        int outStride = rows + 3;
                        float[] expected = new float[1 + tokens * outStride];
                        float[] actual = new float[1 + tokens * outStride];
                        Arrays.fill(actual, Float.NaN);
                        Arrays.fill(expected, Float.NaN);
                        float[] scratch = new float[k.scratchFloats(rows, cols)];
                        Arrays.fill(scratch, Float.NaN);
                        k.multiply(w, rows, cols, x, tokens, expected, 1, outStride, scratch.clone());
                        k.multiplyEncoded(e, seg, offset, stride, rows, cols, x, tokens, actual, 1, outStride, scratch,
                                new byte[k.stagingBytes()]);
                        String what = e + " " + k.getClass().getSimpleName() + " " + rows + "x" + cols + " x " + tokens;
                        for (int i = 0; i < actual.length; i++) {
                            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                                    what + " element " + i);
                        }
                        for (int t = 0; t < tokens; t++) { // and the product itself, against a double-precision sum
                            for (int j = 0; j < rows; j++) {
                                double exact = 0, mag = 0;
                                for (int c = 0; c < cols; c++) {
                                    exact += (double) w[j * cols + c] * x[t * cols + c];
                                    mag += Math.abs((double) w[j * cols + c] * x[t * cols + c]);
                                }
                                assertEquals(exact, actual[1 + t * outStride + j], 1e-6 * mag + 1e-30, what);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The warm-up runs the encoded forms too (off-heap, every encoding the vector kernel reads). */
    @Test
    void warmUpCoversTheEncodedForms() {
        MatTile k = MatTile.create();
        for (Encoding e : Encoding.values()) {
            assertTrue(k.reads(e), e.toString());
        }
        k.warmUp();
        MatTile.scalar().warmUp(); // reads nothing itself: the encoded part is skipped
    }

    /** The mapping is read where {@code offset} says: a tile in the middle of a matrix, rows packed. */
    @Test
    void readsTheTileAtItsOffset() {
        SplittableRandom r = new SplittableRandom(9);
        int rows = 200, cols = 1280, first = 64, n = 70, tokens = 9;
        for (Encoding e : Encoding.values()) {
            long rb = rowBytes(e, cols);
            MemorySegment seg = MemorySegment.ofArray(new byte[Math.toIntExact(rows * rb)]);
            fill(r, e, seg, 0, rb, rows, cols);
            float[] tile = new float[n * cols];
            for (int i = 0; i < n; i++) {
                e.decodeRow(seg, (first + i) * rb, cols, tile, i * cols);
            }
            float[] x = MatTileOracleTest.random(r, tokens * cols);
            MatTile k = MatTile.create();
            float[] expected = new float[tokens * n];
            float[] actual = new float[tokens * n];
            k.multiply(tile, n, cols, x, tokens, expected, 0, n);
            k.multiplyEncoded(e, seg, first * rb, rb, n, cols, x, tokens, actual, 0, n,
                    new float[k.scratchFloats(n, cols)], new byte[k.stagingBytes()]);
            assertArrayEquals(expected, actual, e.toString());
        }
    }
}
