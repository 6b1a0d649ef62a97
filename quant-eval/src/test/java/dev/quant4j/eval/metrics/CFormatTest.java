package dev.quant4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Expected strings are what glibc's printf prints for these doubles (exact binary value, ties to even). */
class CFormatTest {
    @Test
    void roundsTheExactBinaryValueHalfToEven() {
        assertEquals("0.12", CFormat.fixed(0.125, 2));     // exact tie: to even (Java's %.2f gives 0.13)
        assertEquals("0.38", CFormat.fixed(0.375, 2));
        assertEquals("1.00", CFormat.fixed(1.0049999999999999, 2)); // below the tie in binary
        assertEquals("2.5", CFormat.fixed(2.45, 1));        // 2.45 is 2.4500000000000001776...
        assertEquals("6.8457", CFormat.fixed(6.84565, 4)); // 6.84565000000000036...
        assertEquals("10", CFormat.fixed(9.5, 0));
        assertEquals("8", CFormat.fixed(8.5, 0));
    }

    @Test
    void keepsTheSignOfNegativesThatRoundToZero() {
        assertEquals("-0.000", CFormat.fixed(-0.0001, 3));
        assertEquals("-0.000", CFormat.fixed(-0.0, 3));
        assertEquals("0.000", CFormat.fixed(0.0, 3));
        assertEquals("-1.500", CFormat.fixed(-1.5, 3));
    }

    @Test
    void padsToTheWidthLikePercentWdotPf() {
        assertEquals("    0.6632", CFormat.fixed(0.66321, 10, 4));
        assertEquals("  10.227670", CFormat.fixed(10.22767, 11, 6));
        assertEquals("100.000", CFormat.fixed(100, 6, 3));
        assertEquals("   1", CFormat.integer(1, 4));
        assertEquals(" 273", CFormat.integer(273, 4));
        assertEquals("12345", CFormat.integer(12345, 4));
    }

    @Test
    void nonFinite() {
        assertEquals("nan", CFormat.fixed(Double.NaN, 3));
        assertEquals("inf", CFormat.fixed(Double.POSITIVE_INFINITY, 3));
        assertEquals("-inf", CFormat.fixed(Double.NEGATIVE_INFINITY, 3));
    }

    /**
     * The integer path against the JDK's exact decimal arithmetic (BigDecimal of the binary value, ties to even):
     * random bit patterns over the whole exponent range, decimal-looking values, exact ties (odd multiples of
     * 2^-j), subnormals and the edges of the long range, at every precision 0..18.
     */
    @Test
    void integerPathEqualsExactDecimalArithmetic() {
        SplittableRandom r = new SplittableRandom(9);
        int taken = 0;
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 5) {
                case 0 -> Math.abs(Double.longBitsToDouble(r.nextLong()));
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(-12, 19));
                case 2 -> (2 * r.nextLong(1L << 40) + 1) / Math.pow(2, r.nextInt(1, 70));
                case 3 -> Double.MIN_VALUE * r.nextInt(1, 1 << 20);
                default -> Math.round(r.nextDouble() * 1e6) / Math.pow(10, r.nextInt(0, 9));
            };
            if (!Double.isFinite(v)) {
                continue;
            }
            int p = r.nextInt(0, 19);
            String fast = CFormat.exactDigits(v, p);
            if (fast != null) {
                taken++;
                assertEquals(new BigDecimal(v).setScale(p, RoundingMode.HALF_EVEN).toPlainString(), fast,
                        () -> v + " %." + p + "f");
            }
        }
        assertTrue(taken > 150_000, "the integer path took only " + taken);
        assertEquals("9223372036854774784", CFormat.exactDigits(0x1p63 - 1024, 0)); // 2^63 - 1024, the largest below 2^63
        assertNull(CFormat.exactDigits(0x1p63, 0));
        assertNull(CFormat.exactDigits(1e15, 4));
        assertNull(CFormat.exactDigits(1.5, 19));
        assertEquals(new BigDecimal(1e300).setScale(2, RoundingMode.HALF_EVEN).toPlainString(), CFormat.fixed(1e300, 2));
        assertEquals("239268.6187", CFormat.fixed(239268.61871234, 4));
    }
}
