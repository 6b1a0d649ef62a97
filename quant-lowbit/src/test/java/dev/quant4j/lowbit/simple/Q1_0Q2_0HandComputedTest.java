package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Q1_0 and Q2_0 blocks worked out by hand from spec/quant-types.md section 10. */
class Q1_0Q2_0HandComputedTest {
    @Test
    void q1_0SignBitsAndMeanMagnitude() {
        float[] x = new float[128];
        x[0] = 2f;
        x[1] = -0.0f;   // -0.0 >= 0 holds: its bit is set
        x[2] = -1f;     // the only clear bit: bit 2 of byte 0
        x[127] = 1f;
        byte[] b = encode(new Q1_0Quantizer(), x);
        // d = (2 + 1 + 1) / 128 = 0.03125 = fp16 0x2800, little-endian
        assertEquals("0028fb" + "ff".repeat(15), HexFormat.of().formatHex(b));
        float[] back = decode(new Q1_0Quantizer(), b, 128);
        assertEquals(0.03125f, back[0]);
        assertEquals(0.03125f, back[1]);
        assertEquals(-0.03125f, back[2]);
        assertEquals(0.03125f, back[100]);
    }

    @Test
    void q1_0ZeroBlockHasAllBitsSetAndAZeroScale() {
        assertEquals("0000" + "ff".repeat(16), HexFormat.of().formatHex(encode(new Q1_0Quantizer(), new float[128])));
        // a zero scale with clear bits decodes to -0.0, as upstream's neg_d = -d
        byte[] clear = new byte[18];
        float[] back = decode(new Q1_0Quantizer(), clear, 128);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(back[5]));
    }

    @Test
    void q2_0RoundsHalfAwayFromZeroAgainstTheLargestMagnitude() {
        float[] x = new float[64];
        x[0] = 2f;      // amax = 2: x/2 = 1 -> code 2
        x[1] = -1f;     // -0.5 rounds away from zero to -1 -> code 0
        x[2] = 0.99f;   // 0.495 -> 0 -> code 1
        x[3] = -2f;     // -1 -> code 0
        x[5] = 1f;      // 0.5 -> 1 -> code 2
        byte[] b = encode(new Q2_0Quantizer(), x);
        // fp16(2) = 0x4000; byte 0 = 2 | 0<<2 | 1<<4 | 0<<6 = 0x12; byte 1 = 1 | 2<<2 | 1<<4 | 1<<6 = 0x59; zeros are code 1
        assertEquals("0040" + "1259" + "55".repeat(14), HexFormat.of().formatHex(b));
        float[] back = decode(new Q2_0Quantizer(), b, 64);
        float[] expected = new float[64];
        expected[0] = 2f;
        expected[1] = -2f;
        expected[3] = -2f;
        expected[5] = 2f;
        assertArrayEquals(expected, back);
    }

    @Test
    void q2_0ZeroBlockAndTheUnusedCode3() {
        assertEquals("0000" + "55".repeat(16), HexFormat.of().formatHex(encode(new Q2_0Quantizer(), new float[64])));
        // code 3 is never written but decodes to 2d, as upstream's table says
        byte[] b = new byte[18];
        b[1] = 0x3C;    // fp16 1.0
        b[2] = 3;
        assertEquals(2f, decode(new Q2_0Quantizer(), b, 64)[0]);
    }

    private static byte[] encode(RowQuantizer q, float[] x) {
        MemorySegment out = MemorySegment.ofArray(new byte[(int) q.encodedBytes("t", Shape.of(x.length))]);
        q.quantize(TensorView.ofFloats("t", Shape.of(x.length), x), 0, 1, null, out);
        return out.toArray(ValueLayout.JAVA_BYTE);
    }

    private static float[] decode(RowQuantizer q, byte[] b, int n) {
        float[] back = new float[n];
        q.dequantize(MemorySegment.ofArray(b), Shape.of(n), 0, 1, back);
        return back;
    }
}
