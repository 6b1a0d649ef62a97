package dev.quant4j.eval.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * C's {@code printf("%W.Pf")} for doubles, so our numbers print digit for digit as llama.cpp's. Java's
 * {@code String.format} rounds the shortest decimal representation half-up, while glibc rounds the exact
 * binary value half-to-even: the two differ on values such as 0.125 or 1.0049999999999999. Negative values that
 * round to zero keep their sign ({@code -0.000}), as in llama-perplexity's {@code Median Δp: -0.000%}.
 */
public final class CFormat {
    private CFormat() {
    }

    /** {@code %.Pf}. */
    public static String fixed(double v, int precision) {
        if (Double.isNaN(v)) {
            return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "nan";
        }
        if (Double.isInfinite(v)) {
            return v < 0 ? "-inf" : "inf";
        }
        boolean negative = v < 0 || v == 0 && 1 / v < 0;
        String digits = exactDigits(Math.abs(v), precision);
        if (digits == null) {
            digits = new BigDecimal(Math.abs(v)).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        }
        return negative ? "-" + digits : digits;
    }

    /** 10^0 .. 10^18. */
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /**
     * {@code %.Pf} of {@code a} (finite, not negative) in 128-bit integer arithmetic, or null when the rounded
     * value times 10^P does not fit a long or P is above 18 (the caller then takes {@link BigDecimal}). Why not
     * BigDecimal always: since JDK 25 its class initializer computes 5^65536 (a 152,000-bit square chain), about
     * 50 ms compiled and several times that interpreted, on the main thread at the end of every perplexity run
     * (docs/forward-pass.md, "Fixed cost of the first batch, third pass").
     */
    static String exactDigits(double a, int precision) {
        if (precision < 0 || precision >= POW10.length) {
            return null;
        }
        long bits = Double.doubleToRawLongBits(a);
        int exponent = (int) (bits >>> 52) & 0x7FF;
        long m = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent != 0) {
            m |= 1L << 52;
        }
        int e = (exponent == 0 ? 1 : exponent) - 1075;    // a = m * 2^e
        long n;                                              // round_half_even(a * 10^P)
        if (m == 0) {
            n = 0;
        } else if (e >= 0) {
            if (e > 10 || Math.multiplyHigh(m << e, POW10[precision]) != 0 || (m << e) * POW10[precision] < 0) {
                return null;                                 // a * 10^P >= 2^63
            }
            n = (m << e) * POW10[precision];
        } else {
            int k = -e;                                      // n = (m * 10^P) >> k, rounded on the k bits shifted out
            long hi = Math.multiplyHigh(m, POW10[precision]); // m < 2^53, 10^P < 2^60: the product is below 2^113
            long lo = m * POW10[precision];
            long q;
            int cmp;                                         // the bits shifted out against half of 2^k
            if (k >= 128) {
                q = 0;
                cmp = -1;
            } else if (k > 64) {
                int j = k - 64;
                q = hi >>> j;
                long rHi = hi & ((1L << j) - 1);
                long halfHi = 1L << (j - 1);
                cmp = rHi != halfHi ? Long.compareUnsigned(rHi, halfHi) : lo != 0 ? 1 : 0;
            } else if (k == 64) {
                q = hi;
                cmp = Long.compareUnsigned(lo, Long.MIN_VALUE);
            } else {
                if (hi >>> k != 0) {
                    return null;
                }
                q = hi << (64 - k) | lo >>> k;
                cmp = Long.compareUnsigned(lo & ((1L << k) - 1), 1L << (k - 1));
            }
            if (q < 0) {
                return null;
            }
            if (cmp > 0 || cmp == 0 && (q & 1) != 0) {
                q++;
                if (q < 0) {
                    return null;
                }
            }
            n = q;
        }
        String whole = Long.toString(n / POW10[precision]);
        if (precision == 0) {
            return whole;
        }
        String frac = Long.toString(n % POW10[precision]);
        return whole + "." + "0".repeat(precision - frac.length()) + frac;
    }

    /** {@code %W.Pf}: right-aligned in at least {@code width} characters. */
    public static String fixed(double v, int width, int precision) {
        return pad(fixed(v, precision), width);
    }

    /** {@code %Wd}. */
    public static String integer(long v, int width) {
        return pad(Long.toString(v), width);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
