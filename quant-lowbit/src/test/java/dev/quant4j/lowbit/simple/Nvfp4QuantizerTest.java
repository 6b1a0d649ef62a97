package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NVFP4's scale byte and block layout, hand-computed from spec/quant-types.md section 10. */
class Nvfp4QuantizerTest {
    @ParameterizedTest
    @CsvSource({
        "1.0, 56",           // 2^0: exponent 0 + 7 = 7, mantissa 0 -> 0x38
        "0.5, 48",           // 2^-1 -> exponent 6 -> 0x30
        "1.25, 58",          // 1.010b: mantissa 2 -> 0x3A
        "1.9375, 64",        // 1.1111b: mantissa 7 + round bit 1 carries into the exponent -> 2^1 = 0x40
        "1.0625, 57",        // 1.0001b: the round bit (the 4th mantissa bit) rounds 0 up to 1 -> 0x39
        "448, 126",          // the largest value, 1.75 * 2^8 -> exponent 15 saturates to 0x7E
        "1000, 126",         // clamped to 448 first
        "0.005859375, 3",    // 3 * 2^-9, below the normal range: mantissa round(x * 512) = 3
        "0.0078125, 4",      // 2^-7 has exponent 0: taken as the subnormal 4 * 2^-9
        "0.00048828125, 0",  // 2^-11: x * 512 + 0.5 = 0.75 truncates to 0
        "0.0009765625, 1",   // 2^-10: 0.5 + 0.5 = 1
        "0, 0", "-2, 0", "NaN, 0"})
    void encodesTheScaleByte(float v, int code) {
        assertEquals(code, Ue4m3.encode(v));
    }

    @ParameterizedTest
    @CsvSource({"56, 0.5", "126, 224", "3, 0.0029296875", "0, 0", "127, 0", "64, 1", "7, 0.0068359375"})
    void decodesHalvedScales(int code, float halved) {
        assertEquals(halved, Ue4m3.decode(code));
    }

    @Test
    void handComputedBlock() {
        float[] x = new float[64];
        x[0] = 6f;      // sub-block 0: amax 6, scale byte enc(1) = 0x38, halved scale 0.5: 6 = 12 * 0.5, code 7
        x[9] = -0.6f;   // nearest -0.5 (code 9); stored as the high nibble of byte 1 of sub-block 0
        // sub-block 1 is all zero: scale byte 0, every code 0
        x[32] = -3f;    // sub-block 2: amax 3, enc(0.5) = 0x30, halved scale 0.25: -3 = -12 * 0.25, code 15
        x[40] = 1f;     // 4 * 0.25, code 4, high nibble of the sub-block's byte 0
        x[48] = 0.3f;   // sub-block 3: amax 0.3, enc(0.05) rounds 1.6 * 2^-5 to 1.625 * 2^-5 = 0x15
        byte[] expected = new byte[36];
        expected[0] = 0x38;
        expected[2] = 0x30;
        expected[3] = 0x15;
        expected[4] = 7;
        expected[5] = (byte) (9 << 4);
        expected[4 + 16] = (byte) (15 | 4 << 4);
        // 0.3 / (1.625 * 2^-5 / 2) = 11.8: nearest level 12, code 7
        expected[4 + 24] = 7;
        Nvfp4Quantizer q = new Nvfp4Quantizer();
        MemorySegment out = MemorySegment.ofArray(new byte[36]);
        q.quantize(TensorView.ofFloats("t", Shape.of(64), x), 0, 1, null, out);
        assertArrayEquals(expected, out.toArray(ValueLayout.JAVA_BYTE));
        float[] back = new float[64];
        q.dequantize(out, Shape.of(64), 0, 1, back);
        assertEquals(6f, back[0]);
        assertEquals(-0.5f, back[9]);
        assertEquals(-3f, back[32]);
        assertEquals(1f, back[40]);
        assertEquals(0.3046875f, back[48]);  // 12 * 0.025390625
    }
}
