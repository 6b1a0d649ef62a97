package dev.quant4j.kernels;

/** The rounding helpers of spec/quant-types.md section 0.2. */
public final class Rounding {
    private Rounding() {
    }

    /** 1.5 * 2^23: adding it leaves the rounded integer in the low mantissa bits. */
    private static final float MAGIC = 12582912f;

    /**
     * Round to nearest, ties to even (ggml's nearest_int). Bit-for-bit the upstream trick: add 1.5 * 2^23 in
     * float and read the low 23 mantissa bits, so it equals {@code Math.rint} for |v| <= 4194303 and reproduces
     * upstream's (meaningless but deterministic) results outside that range.
     */
    public static int nearestInt(float v) {
        return (Float.floatToRawIntBits(v + MAGIC) & 0x007FFFFF) - 0x00400000;
    }

    /** C roundf: half away from zero, exact for every float (no {@code floor(v + 0.5)} error). */
    public static float roundf(float v) {
        float t = truncf(v);
        float frac = Math.abs(v - t);
        if (frac >= 0.5f) {
            return t + Math.signum(v);
        }
        return t;
    }

    /**
     * C lroundf: half away from zero, for |v| < 2^31 (beyond that C leaves the result unspecified). Branch free:
     * the truncated integer plus the truncation of twice the (exact) fractional part, which is -1, 0 or 1.
     */
    public static int lroundf(float v) {
        int t = (int) v;
        return t + (int) ((v - t) * 2f);
    }

    /** C truncf: toward zero. */
    public static float truncf(float v) {
        return v < 0 ? (float) Math.ceil(v) : (float) Math.floor(v);
    }

    /** C float to int conversion: truncation toward zero. */
    public static int truncInt(float v) {
        return (int) v;
    }

    /** ggml's float MAX macro {@code a > b ? a : b} (differs from Math.max on NaN and signed zero). */
    public static float cmax(float a, float b) {
        return a > b ? a : b;
    }

    /** ggml's float MIN macro {@code a < b ? a : b}. */
    public static float cmin(float a, float b) {
        return a < b ? a : b;
    }

    public static int clamp(int v, int lo, int hi) {
        return Math.min(Math.max(v, lo), hi);
    }
}
