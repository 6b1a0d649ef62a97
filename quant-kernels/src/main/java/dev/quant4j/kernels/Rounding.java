package dev.quant4j.kernels;

/** The rounding helpers of spec/quant-types.md section 0.2. */
public final class Rounding {
    private Rounding() {
    }

    /** Round to nearest, ties to even (ggml's nearest_int); valid for |v| <= 4194303. */
    public static int nearestInt(float v) {
        return (int) Math.rint(v);
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

    /** C lroundf. */
    public static int lroundf(float v) {
        return (int) roundf(v);
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
