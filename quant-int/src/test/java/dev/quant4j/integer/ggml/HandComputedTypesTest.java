package dev.quant4j.integer.ggml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Types without shared vectors (Q8_1, Q8_K, F32, F16, BF16), checked against values worked out by hand. */
class HandComputedTypesTest {
    private static byte[] encode(Quantizer q, int rowLength, float... x) {
        Shape shape = Shape.of(rowLength, x.length / rowLength);
        byte[] out = new byte[Math.toIntExact(q.encodedBytes("t", shape))];
        q.quantize(TensorView.ofFloats("t", shape, x), 0, shape.rows(), null, MemorySegment.ofArray(out));
        return out;
    }

    private static float[] decode(Quantizer q, byte[] bytes, int rowLength, int rows) {
        float[] y = new float[rowLength * rows];
        q.dequantize(MemorySegment.ofArray(bytes), Shape.of(rowLength, rows), 0, rows, y);
        return y;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void q8_1() {
        Quantizer q = new GgmlProviders.Q8_1().create(new NoOptions());
        float[] x = new float[32];
        x[0] = 1f;
        x[1] = -0.5f;
        x[2] = 0.25f;
        byte[] b = encode(q, 32, x);
        assertEquals(36, b.length);
        // amax 1: d = 1/127 -> fp16 0x2008; q = roundf(127 x): 127, roundf(-63.5) = -64 (away from zero), 32
        assertEquals(0x2008, le(b).getShort(0));
        assertEquals(127, b[4]);
        assertEquals(-64, b[5]);
        assertEquals(32, b[6]);
        for (int j = 3; j < 32; j++) {
            assertEquals(0, b[4 + j]);
        }
        // s = fp16(95 * (1/127)) = fp16(0.7480315) = 0x39FC (0.748046875)
        assertEquals(0x39FC, le(b).getShort(2));
        float[] y = decode(q, b, 32, 1);
        float d = 0x1.02p-7f; // 0.00787353515625, the fp16 0x2008
        assertEquals(127 * d, y[0]);
        assertEquals(-64 * d, y[1]);
        assertEquals(32 * d, y[2]);
        assertEquals(0f, y[31]);
    }

    @Test
    void q8_0ZeroBlockAndRoundingAwayFromZero() {
        Quantizer q = new GgmlProviders.Q8_0().create(new NoOptions());
        float[] x = new float[64];
        x[32] = 127f;
        x[33] = 2.5f;
        x[34] = -2.5f;
        x[35] = 0.49999997f;
        byte[] b = encode(q, 64, x);
        assertArrayEquals(new byte[34], java.util.Arrays.copyOf(b, 34), "all-zero block: d = 0, levels 0");
        assertEquals(0x3C00, le(b).getShort(34), "d = 127 / 127 = 1");
        assertArrayEquals(new byte[] {127, 3, -3, 0}, java.util.Arrays.copyOfRange(b, 36, 40));
    }

    @Test
    void q8_k() {
        Quantizer q = new GgmlProviders.Q8_K().create(new NoOptions());
        float[] x = new float[512];
        // block 0: max = -127/128 so iscale = -127 / max = 128 exactly; nearest_int ties go to even
        x[0] = -0.9921875f;
        x[1] = 2.5f / 128;
        x[2] = 3.5f / 128;
        x[3] = -0.5f / 128;
        x[16] = 0.5f;
        byte[] b = encode(q, 256, x);
        assertEquals(584, b.length);
        ByteBuffer bb = le(b);
        assertEquals(1f / 128, bb.getFloat(0));
        assertArrayEquals(new byte[] {-127, 2, 4, 0}, java.util.Arrays.copyOfRange(b, 4, 8));
        assertEquals(64, b[4 + 16]);
        assertEquals(-121, bb.getShort(260), "bsums[0] = -127 + 2 + 4 + 0");
        assertEquals(64, bb.getShort(262));
        // block 1 is all zero: d = 0, levels and sums 0
        assertArrayEquals(new byte[292], java.util.Arrays.copyOfRange(b, 292, 584));
        float[] y = decode(q, b, 256, 2);
        assertEquals(-127f / 128, y[0]);
        assertEquals(2f / 128, y[1]);
        assertEquals(0.5f, y[16]);
        assertEquals(0f, y[300]);
    }

    @Test
    void f16RowsOfAnyLength() {
        Quantizer q = new GgmlProviders.F16().create(new NoOptions());
        float[] x = {1f, -2f, 65504f, 65520f, 1e-8f, -1e-8f, 0x1.8p-24f};
        byte[] b = encode(q, 7, x);
        assertEquals(14, b.length);
        ByteBuffer bb = le(b);
        int[] expected = {0x3C00, 0xC000, 0x7BFF, 0x7C00, 0x0000, 0x8000, 0x0002};
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], bb.getShort(2 * i) & 0xFFFF, "element " + i);
        }
        float[] y = decode(q, b, 7, 1);
        assertArrayEquals(new float[] {1f, -2f, 65504f, Float.POSITIVE_INFINITY, 0f, -0f, 0x1p-23f}, y);
    }

    @Test
    void bf16RowsOfAnyLength() {
        Quantizer q = new GgmlProviders.BF16().create(new NoOptions());
        float[] x = {1f, Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000), -0f,
                Float.intBitsToFloat(0x00010000), Float.MAX_VALUE};
        byte[] b = encode(q, 3, x);
        assertEquals(12, b.length);
        ByteBuffer bb = le(b);
        int[] expected = {0x3F80, 0x3F80, 0x3F82, 0x8000, 0x0001, 0x7F80};
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], bb.getShort(2 * i) & 0xFFFF, "element " + i);
        }
        float[] y = decode(q, b, 3, 2);
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i] << 16, Float.floatToRawIntBits(y[i]));
        }
    }

    @Test
    void f32IsBitExact() {
        Quantizer q = new GgmlProviders.F32().create(new NoOptions());
        float[] x = {1.1f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, 3.14159f};
        byte[] b = encode(q, 5, x);
        assertEquals(20, b.length);
        assertEquals(0x3F8CCCCD, le(b).getInt(0));
        float[] y = decode(q, b, 5, 1);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]));
        }
    }
}
