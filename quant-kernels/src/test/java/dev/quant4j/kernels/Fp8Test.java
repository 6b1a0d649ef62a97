package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.Fp8.Overflow;
import org.junit.jupiter.api.Test;

class Fp8Test {

    /** Value of an E4M3FN code from the OCP definition, computed in double independently of the codec. */
    private static double ocpE4M3(int c) {
        int s = c >>> 7;
        int e = (c >>> 3) & 0xF;
        int m = c & 7;
        if (e == 15 && m == 7) {
            return Double.NaN;
        }
        double v = e == 0 ? m / 8.0 * Math.pow(2, -6) : (1 + m / 8.0) * Math.pow(2, e - 7);
        return s == 1 ? -v : v;
    }

    private static double ieeeE5M2(int c) {
        int s = c >>> 7;
        int e = (c >>> 2) & 0x1F;
        int m = c & 3;
        double v;
        if (e == 31) {
            v = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = e == 0 ? m / 4.0 * Math.pow(2, -14) : (1 + m / 4.0) * Math.pow(2, e - 15);
        }
        return s == 1 ? -v : v;
    }

    @Test
    void e4m3DecodesEveryCodeExactlyAndReEncodesFiniteCodes() {
        int nan = 0;
        for (int c = 0; c < 256; c++) {
            byte b = (byte) c;
            double want = ocpE4M3(c);
            float got = Fp8.E4M3FN.decode(b);
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(got), "code " + c);
                assertTrue(Fp8.E4M3FN.isNaN(b));
                nan++;
                continue;
            }
            assertFalse(Fp8.E4M3FN.isNaN(b));
            assertEquals(want, got, 0.0, "code " + c);
            assertEquals(b, Fp8.E4M3FN.encode(got), "round trip of code " + c);
            assertEquals(b, Fp8.E4M3FN.encode(got, Overflow.NON_SATURATE), "round trip of code " + c);
        }
        assertEquals(2, nan);
    }

    @Test
    void e5m2DecodesEveryCodeExactlyAndReEncodesFiniteCodes() {
        int nan = 0;
        int inf = 0;
        for (int c = 0; c < 256; c++) {
            byte b = (byte) c;
            double want = ieeeE5M2(c);
            float got = Fp8.E5M2.decode(b);
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(got), "code " + c);
                assertTrue(Fp8.E5M2.isNaN(b));
                nan++;
                continue;
            }
            assertEquals(want, got, 0.0, "code " + c);
            if (Double.isInfinite(want)) {
                inf++;
                assertEquals(b, Fp8.E5M2.encode(got, Overflow.NON_SATURATE));
                continue;
            }
            assertEquals(b, Fp8.E5M2.encode(got), "round trip of code " + c);
        }
        assertEquals(6, nan);
        assertEquals(2, inf);
    }

    @Test
    void constants() {
        assertEquals(448f, Fp8.E4M3FN.maxFinite());
        assertEquals(57344f, Fp8.E5M2.maxFinite());
        assertEquals(0x1p-6f, Fp8.E4M3FN.minNormal());
        assertEquals(0x1p-9f, Fp8.E4M3FN.minSubnormal());
        assertEquals(0x1p-14f, Fp8.E5M2.minNormal());
        assertEquals(0x1p-16f, Fp8.E5M2.minSubnormal());
        assertEquals((byte) 0x38, Fp8.E4M3FN.encode(1f));
        assertEquals((byte) 0x3C, Fp8.E5M2.encode(1f));
        assertEquals((byte) 0xC0, Fp8.E4M3FN.encode(-2f));
    }

    @Test
    void e4m3RoundsToNearestTiesToEven() {
        // between 1.0 (0x38, mantissa 000) and 1.125 (0x39, mantissa 001): 1.0625 is the tie -> even 1.0
        assertEquals((byte) 0x38, Fp8.E4M3FN.encode(1.0625f));
        assertEquals((byte) 0x39, Fp8.E4M3FN.encode(Math.nextUp(1.0625f)));
        // between 1.125 (001) and 1.25 (010): tie 1.1875 -> even 1.25
        assertEquals((byte) 0x3A, Fp8.E4M3FN.encode(1.1875f));
        assertEquals((byte) 0x39, Fp8.E4M3FN.encode(Math.nextDown(1.1875f)));
        // tie between 1.875 (0x3F) and 2.0 (0x40): even mantissa is 2.0's 000, carry into the exponent
        assertEquals((byte) 0x40, Fp8.E4M3FN.encode(1.9375f));
        // subnormals: units of 2^-9; 2.5 units ties to 2, 3.5 units ties to 4
        assertEquals((byte) 0x02, Fp8.E4M3FN.encode(2.5f * 0x1p-9f));
        assertEquals((byte) 0x04, Fp8.E4M3FN.encode(3.5f * 0x1p-9f));
        // half the smallest subnormal ties to zero, anything above it rounds up
        assertEquals((byte) 0x00, Fp8.E4M3FN.encode(0x1p-10f));
        assertEquals((byte) 0x01, Fp8.E4M3FN.encode(Math.nextUp(0x1p-10f)));
        // 7.5 units rounds to 8 units = 2^-6, the smallest normal 0x08
        assertEquals((byte) 0x08, Fp8.E4M3FN.encode(7.5f * 0x1p-9f));
        assertEquals((byte) 0x80, Fp8.E4M3FN.encode(-0f));
        assertEquals((byte) 0x80, Fp8.E4M3FN.encode(-0x1p-11f));
    }

    @Test
    void e5m2RoundsToNearestTiesToEven() {
        // 1.0 = 0x3C (mantissa 00), 1.25 = 0x3D: tie 1.125 -> 1.0; tie 1.375 -> 1.5 (mantissa 10)
        assertEquals((byte) 0x3C, Fp8.E5M2.encode(1.125f));
        assertEquals((byte) 0x3E, Fp8.E5M2.encode(1.375f));
        assertEquals((byte) 0x3D, Fp8.E5M2.encode(Math.nextUp(1.125f)));
        // subnormal units 2^-16: 1.5 units -> 2, 0.5 -> 0
        assertEquals((byte) 0x02, Fp8.E5M2.encode(1.5f * 0x1p-16f));
        assertEquals((byte) 0x00, Fp8.E5M2.encode(0.5f * 0x1p-16f));
    }

    @Test
    void e4m3SaturatesOrGivesNaN() {
        assertEquals((byte) 0x7E, Fp8.E4M3FN.encode(449f));
        assertEquals((byte) 0x7E, Fp8.E4M3FN.encode(1e30f));
        assertEquals((byte) 0xFE, Fp8.E4M3FN.encode(-1e30f));
        assertEquals((byte) 0x7E, Fp8.E4M3FN.encode(Float.POSITIVE_INFINITY));
        assertEquals((byte) 0xFE, Fp8.E4M3FN.encode(Float.NEGATIVE_INFINITY));
        // non-saturating: 464 is the tie between 448 (mantissa 110, even) and the absent 480, so stays 448
        assertEquals((byte) 0x7E, Fp8.E4M3FN.encode(464f, Overflow.NON_SATURATE));
        assertEquals((byte) 0x7F, Fp8.E4M3FN.encode(Math.nextUp(464f), Overflow.NON_SATURATE));
        assertEquals((byte) 0xFF, Fp8.E4M3FN.encode(-500f, Overflow.NON_SATURATE));
        assertEquals((byte) 0x7F, Fp8.E4M3FN.encode(Float.NaN));
        assertEquals((byte) 0xFF, Fp8.E4M3FN.encode(Float.intBitsToFloat(0xFFC00000)));
    }

    @Test
    void e5m2SaturatesOrGivesInfinity() {
        assertEquals((byte) 0x7B, Fp8.E5M2.encode(60000f));
        assertEquals((byte) 0x7B, Fp8.E5M2.encode(62000f));
        assertEquals((byte) 0x7C, Fp8.E5M2.encode(62000f, Overflow.NON_SATURATE));
        assertEquals((byte) 0xFB, Fp8.E5M2.encode(Float.NEGATIVE_INFINITY));
        // 61440 ties between 57344 (mantissa 11, odd) and 65536 (even): IEEE rounds up to infinity
        assertEquals((byte) 0x7C, Fp8.E5M2.encode(61440f, Overflow.NON_SATURATE));
        assertEquals((byte) 0x7B, Fp8.E5M2.encode(Math.nextDown(61440f), Overflow.NON_SATURATE));
        assertEquals((byte) 0xFC, Fp8.E5M2.encode(Float.NEGATIVE_INFINITY, Overflow.NON_SATURATE));
        assertTrue(Fp8.E5M2.isNaN(Fp8.E5M2.encode(Float.NaN)));
        assertEquals((byte) 0x7E, Fp8.E5M2.encode(Float.NaN));
    }

    @Test
    void encodeIsNearestForEveryFloatOnAGrid() {
        // brute force: for many floats, the code's value is at least as close as both neighbours
        for (Fp8 f : Fp8.values()) {
            for (int i = -60000; i <= 60000; i++) {
                float v = i * (f == Fp8.E4M3FN ? 0.0078125f : 1.0f) + i * 1e-4f;
                if (Math.abs(v) > f.maxFinite()) {
                    continue;
                }
                byte c = f.encode(v);
                double got = f.decode(c);
                double err = Math.abs(got - v);
                for (int d = -1; d <= 1; d += 2) {
                    int n = (c & 0xFF) + d;
                    if (n < 0 || n > 255 || ((n ^ c) & 0x80) != 0) {
                        continue;
                    }
                    float nv = f.decode((byte) n);
                    if (Float.isFinite(nv)) {
                        assertTrue(err <= Math.abs(nv - v), f + " " + v + " -> " + got + " but " + nv + " is closer");
                    }
                }
            }
        }
    }
}
