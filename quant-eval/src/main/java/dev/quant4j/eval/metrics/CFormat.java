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
        String digits = new BigDecimal(Math.abs(v)).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return negative ? "-" + digits : digits;
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
