package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundingTest {
    @Test
    void nearestIntTiesToEven() {
        assertEquals(0, Rounding.nearestInt(0.5f));
        assertEquals(2, Rounding.nearestInt(1.5f));
        assertEquals(2, Rounding.nearestInt(2.5f));
        assertEquals(4, Rounding.nearestInt(3.5f));
        assertEquals(0, Rounding.nearestInt(-0.5f));
        assertEquals(-2, Rounding.nearestInt(-1.5f));
        assertEquals(-2, Rounding.nearestInt(-2.5f));
        assertEquals(0, Rounding.nearestInt(0.49999997f));
        assertEquals(1, Rounding.nearestInt(0.50000006f));
        assertEquals(-7, Rounding.nearestInt(-7.2f));
        assertEquals(4194303, Rounding.nearestInt(4194303f));
        assertEquals(-4194303, Rounding.nearestInt(-4194303f));
    }

    @Test
    void nearestIntMatchesRintInItsValidRange() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            float v = (float) ((r.nextDouble() * 2 - 1) * Math.scalb(1.0, r.nextInt(-4, 23)));
            if (Math.abs(v) <= 4194303f) {
                assertEquals((int) Math.rint(v), Rounding.nearestInt(v), Float.toString(v));
            }
        }
    }

    @Test
    void nearestIntReproducesUpstreamOutsideItsRange() {
        // upstream reads the mantissa of v + 1.5*2^23; at 2^23 that sum is 1.25*2^24, mantissa bits 0x200000
        assertEquals(0x200000 - 0x400000, Rounding.nearestInt(8388608f));
    }

    @Test
    void roundfTiesAwayFromZero() {
        assertEquals(3f, Rounding.roundf(2.5f));
        assertEquals(-3f, Rounding.roundf(-2.5f));
        assertEquals(1f, Rounding.roundf(0.5f));
        assertEquals(-1f, Rounding.roundf(-0.5f));
        assertEquals(2f, Rounding.roundf(1.5f));
        assertEquals(0f, Rounding.roundf(0.49999997f), "floor(v + 0.5) would give 1");
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Rounding.roundf(-0.49999997f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Rounding.roundf(-0f)));
        assertEquals(1f, Rounding.roundf(1.4999999f));
        assertEquals(-64f, Rounding.roundf(-63.5f), "Math.round would give -63");
        assertEquals(8388609f, Rounding.roundf(8388609f));
        assertEquals(-64, Rounding.lroundf(-63.5f));
        assertEquals(3, Rounding.lroundf(2.5f));
        assertEquals(0, Rounding.lroundf(0.49999997f));
        assertEquals(0, Rounding.lroundf(-0.49999997f));
        assertEquals(-1, Rounding.lroundf(-0.5f));
        assertEquals(8388609, Rounding.lroundf(8388609f));
        assertEquals(-2147483520, Rounding.lroundf(-2147483520f));
    }

    @Test
    void roundfMatchesHalfUpOnRandomValues() {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 200_000; i++) {
            float v = (float) ((r.nextDouble() * 2 - 1) * Math.scalb(1.0, r.nextInt(-3, 24)));
            if (i % 4 == 0) {
                v = (float) Math.floor(v) + 0.5f; // force ties
            }
            float expected = new BigDecimal(v).setScale(0, RoundingMode.HALF_UP).floatValue();
            assertEquals(Math.abs(expected), Math.abs(Rounding.roundf(v)), Float.toString(v));
            assertEquals((int) expected, Rounding.lroundf(v), Float.toString(v));
        }
    }

    @Test
    void cMacrosKeepOperandOrder() {
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Rounding.cmax(0f, -0f)),
                "MAX(a, b) is a > b ? a : b, so equal zeros give b");
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(Rounding.cmin(-0f, 0f)));
        assertEquals(1f, Rounding.cmax(Float.NaN, 1f));
        assertEquals(true, Float.isNaN(Rounding.cmax(1f, Float.NaN)));
        assertEquals(3, Rounding.clamp(7, 0, 3));
        assertEquals(-4, Rounding.clamp(-9, -4, 3));
        assertEquals(2, Rounding.truncInt(2.99f));
        assertEquals(-2, Rounding.truncInt(-2.99f));
    }
}
