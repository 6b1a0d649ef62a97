package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HalfTest {
    /** Independent binary16 decoder: sign, 5-bit exponent, 10-bit mantissa. */
    private static float decode(int h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 31;
        int mant = h & 1023;
        float mag;
        if (exp == 0) {
            mag = Math.scalb((float) mant, -24);
        } else if (exp == 31) {
            mag = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            mag = Math.scalb((float) (1024 + mant), exp - 25);
        }
        return sign == 1 ? -mag : mag;
    }

    @Test
    void everyHalfWidensExactlyAndNarrowsBack() {
        for (int h = 0; h < 65536; h++) {
            float f = Half.f32((short) h);
            float expected = decode(h);
            if (Float.isNaN(expected)) {
                assertEquals(true, Float.isNaN(f), "0x" + Integer.toHexString(h));
                int quiet = 0x7E00 | (h & 0x8000);
                assertEquals(quiet, Half.fp16(f) & 0xFFFF, "NaN 0x" + Integer.toHexString(h) + " narrows to quiet NaN");
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(f), "0x" + Integer.toHexString(h));
                assertEquals(h, Half.fp16(f) & 0xFFFF, "round trip 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void midpointsRoundToEvenAndNeighboursToNearest() {
        // every pair of adjacent finite halves of one sign, including the subnormal range and 65504 -> inf
        for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
            for (int h = 0; h < 0x7BFF; h++) {
                float lo = decode(sign | h);
                float hi = decode(sign | (h + 1));
                float mid = (lo + hi) / 2; // exact: halves have at most 11 significant bits
                int even = (h & 1) == 0 ? h : h + 1;
                assertEquals(sign | even, Half.fp16(mid) & 0xFFFF, "tie between 0x" + Integer.toHexString(h));
                float towardsHi = sign == 0 ? Math.nextUp(mid) : Math.nextDown(mid);
                float towardsLo = sign == 0 ? Math.nextDown(mid) : Math.nextUp(mid);
                assertEquals(sign | (h + 1), Half.fp16(towardsHi) & 0xFFFF, "just above the tie 0x" + Integer.toHexString(h));
                assertEquals(sign | h, Half.fp16(towardsLo) & 0xFFFF, "just below the tie 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void largestFiniteHalfAndInfinity() {
        assertEquals(0x7C00, Half.fp16(65520f) & 0xFFFF, "the tie above 65504 goes to the even pattern: infinity");
        assertEquals(0x7BFF, Half.fp16(Math.nextDown(65520f)) & 0xFFFF);
        assertEquals(0xFC00, Half.fp16(-65520f) & 0xFFFF);
        assertEquals(0xFBFF, Half.fp16(Math.nextUp(-65520f)) & 0xFFFF);
    }

    @Test
    void handPickedFp16Values() {
        assertEquals(0x3C00, Half.fp16(1f) & 0xFFFF);
        assertEquals(0xC000, Half.fp16(-2f) & 0xFFFF);
        assertEquals(0x7BFF, Half.fp16(65504f) & 0xFFFF);
        assertEquals(0x7BFF, Half.fp16(65519.996f) & 0xFFFF);
        assertEquals(0x7C00, Half.fp16(65520f) & 0xFFFF, "the tie above 65504 goes to even = infinity");
        assertEquals(0xFC00, Half.fp16(-1e6f) & 0xFFFF);
        assertEquals(0x7C00, Half.fp16(Float.POSITIVE_INFINITY) & 0xFFFF);
        assertEquals(0x8000, Half.fp16(-0f) & 0xFFFF, "signed zero kept");
        assertEquals(0x8000, Half.fp16(-1e-10f) & 0xFFFF, "underflow keeps the sign");
        assertEquals(0x0001, Half.fp16(0x1p-24f) & 0xFFFF, "smallest subnormal");
        assertEquals(0x0000, Half.fp16(0x1p-25f) & 0xFFFF, "half the smallest subnormal ties to zero");
        assertEquals(0x0001, Half.fp16(Math.nextUp(0x1p-25f)) & 0xFFFF);
        assertEquals(0x0002, Half.fp16(0x1.8p-24f) & 0xFFFF, "1.5 ulp ties to the even 2");
        assertEquals(0x0400, Half.fp16(0x1p-14f) & 0xFFFF, "smallest normal");
        assertEquals(0x2008, Half.fp16(1f / 127) & 0xFFFF);
        assertEquals(0x7E00, Half.fp16(Float.NaN) & 0xFFFF);
        assertEquals(0xFE00, Half.fp16(Float.intBitsToFloat(0xFF800001)) & 0xFFFF, "negative signalling NaN");
        assertEquals(0x1p-24f, Half.roundTrip(0x1.7p-24f));
    }

    @Test
    void bf16HandPickedValues() {
        assertEquals(0x3F80, bf16(0x3F800000));
        assertEquals(0x3F80, bf16(0x3F808000), "tie to the even 0x3F80");
        assertEquals(0x3F82, bf16(0x3F818000), "tie to the even 0x3F82");
        assertEquals(0x3F81, bf16(0x3F808001), "above the tie");
        assertEquals(0x3F80, bf16(0x3F807FFF), "below the tie");
        assertEquals(0x7F80, bf16(0x7F7FFFFF), "largest float overflows to infinity");
        assertEquals(0x7F80, bf16(0x7F800000));
        assertEquals(0xFF80, bf16(0xFF800000));
        assertEquals(0x8000, bf16(0x80000000), "signed zero kept");
        assertEquals(0x0000, bf16(0x00000001), "tiny subnormal rounds down");
        assertEquals(0x0001, bf16(0x00010000), "subnormals are not flushed");
        assertEquals(0x0000, bf16(0x00008000), "subnormal tie to even 0");
        assertEquals(0x0002, bf16(0x00018000), "subnormal tie to even 2");
        assertEquals(0x7FC0, bf16(0x7FC00000), "quiet NaN");
        assertEquals(0x7FC0, bf16(0x7F800001), "signalling NaN is quieted, not rounded to infinity");
        assertEquals(0xFFC1, bf16(0xFF810000), "NaN payload kept, quiet bit forced");
        assertEquals(0x7FFF, bf16(0x7FFFFFFF), "all-ones NaN must not carry into the sign");
    }

    @Test
    void everyBf16WidensExactlyAndNarrowsBack() {
        for (int h = 0; h < 65536; h++) {
            float f = Half.bf16ToF32((short) h);
            assertEquals(h << 16, Float.floatToRawIntBits(f));
            int expected = Float.isNaN(f) ? h | 0x0040 : h;
            assertEquals(expected, Half.bf16(f) & 0xFFFF, "0x" + Integer.toHexString(h));
        }
    }

    private static int bf16(int bits) {
        return Half.bf16(Float.intBitsToFloat(bits)) & 0xFFFF;
    }
}
