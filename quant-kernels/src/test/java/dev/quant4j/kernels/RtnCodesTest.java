package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** compressed-tensors' RTN arithmetic on hand-computed values. */
class RtnCodesTest {
    @Test
    void symmetricScalesUseHalfTheIntegerRange() {
        assertEquals(1f, RtnCodes.symmetricScale(127.5f, -128, 127)); // int8 full range: /127.5
        assertEquals(1f, RtnCodes.symmetricScale(127f, -127, 127)); // quant-int's int8: /127
        assertEquals(2f, RtnCodes.symmetricScale(15f, -8, 7)); // int4: /7.5
        assertEquals(0.5f, RtnCodes.fp8Scale(224f, Fp8.E4M3FN));
    }

    @Test
    void asymmetricRangeHoldsZero() {
        // [1, 16] widens to [0, 16]: scale 16/15, zero point -8 - 0 = -8
        assertEquals(16f / 15f, RtnCodes.asymmetricScale(1f, 16f, -8, 7));
        assertEquals(-8, RtnCodes.zeroPoint(1f, 16f / 15f, -8, 7));
        // [-3, 12]: scale 1, zero point -8 + 3 = -5
        assertEquals(1f, RtnCodes.asymmetricScale(-3f, 12f, -8, 7));
        assertEquals(-5, RtnCodes.zeroPoint(-3f, 1f, -8, 7));
        // all negative [-15, -1] widens to [-15, 0]: zero point -8 + 15 = 7
        assertEquals(7, RtnCodes.zeroPoint(-15f, 1f, -8, 7));
    }

    @Test
    void intCodesRoundHalfToEvenAndClamp() {
        assertEquals(2, RtnCodes.intCode(2.5f, -128, 127));
        assertEquals(-2, RtnCodes.intCode(-2.5f, -128, 127));
        assertEquals(4, RtnCodes.intCode(3.5f, -128, 127));
        assertEquals(-128, RtnCodes.intCode(-127.5f, -128, 127)); // full range: -127.5 rounds to even -128
        assertEquals(-127, RtnCodes.intCode(-127.5f, -127, 127)); // restricted range clamps first
        assertEquals(7, RtnCodes.intCode(9f, -8, 7));
    }

    @Test
    void fp8CodesSaturate() {
        assertEquals(Fp8.E4M3FN.encode(448f), RtnCodes.fp8Code(1e9f, Fp8.E4M3FN));
        assertEquals(Fp8.E4M3FN.encode(-448f), RtnCodes.fp8Code(Float.NEGATIVE_INFINITY, Fp8.E4M3FN));
        assertEquals(1.125f, Fp8.E4M3FN.decode(RtnCodes.fp8Code(1.1f, Fp8.E4M3FN))); // step 1/8 above 1
    }
}
