package dev.quant4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
