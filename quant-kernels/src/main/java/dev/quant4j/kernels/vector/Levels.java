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

    /** {@code float(clamp(nearest_int(v), lo, hi))} per lane. */
    static FloatVector clamped(FloatVector v, IntVector lo, IntVector hi) {
        return (FloatVector) nearestInt(v).max(lo).min(hi).convert(VectorOperators.I2F, 0);
    }
}
