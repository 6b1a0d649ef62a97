package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** Lane-wise ggml {@code nearest_int}, bit for bit (including upstream's results outside |v| <= 4194303). */
final class Levels {
    private static final float MAGIC = 12582912f;

    private Levels() {
    }

    /** Adds 1.5 * 2^23 and reads the low 23 mantissa bits, exactly as {@code Rounding.nearestInt} per lane. */
    static IntVector nearestInt(FloatVector v) {
        return v.add(MAGIC).reinterpretAsInts().and(0x007FFFFF).sub(0x00400000);
    }

    /** Scalar ggml {@code nearest_int} (the same as {@code Rounding.nearestInt}) for tails. */
    static int nearestInt(float v) {
        return (Float.floatToRawIntBits(v + MAGIC) & 0x007FFFFF) - 0x00400000;
    }

    /**
     * {@code float(clamp(nearest_int(v), lo, hi))} per lane, for callers that know {@code |v| < 2^22} (then
     * {@code v + 1.5 * 2^23} lies in {@code [2^23, 2^24)}, rounded to an integer as {@code nearest_int} rounds, and
     * subtracting 1.5 * 2^23 again is exact, so this is {@link #clamped}'s result bit for bit, {@code +0} for zero).
     * All float lanes: no int conversion, whose call chain is deep enough that C2 sometimes leaves it to the
     * allocating Java fallback when the kernel is inlined into a larger method.
     */
    static FloatVector clampedSmall(FloatVector v, FloatVector lo, FloatVector hi) {
        return v.add(MAGIC).sub(MAGIC).max(lo).min(hi);
    }

    /** {@code float(clamp(nearest_int(v), lo, hi))} per lane. */
    static FloatVector clamped(FloatVector v, IntVector lo, IntVector hi) {
        return (FloatVector) nearestInt(v).max(lo).min(hi).convert(VectorOperators.I2F, 0);
    }
}
