package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Branch-free finite test over many floats: an all-ones exponent plus one carries into the sign bit. */
public final class VectorFiniteScan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int EXPONENT = 0x7F800000;
    private static final int EXPONENT_ONE = 0x00800000;

    private VectorFiniteScan() {
    }

    /** True when {@code x[from .. from+count)} holds no NaN and no infinity. */
    public static boolean allFinite(float[] x, int from, int count) {
        IntVector any = IntVector.zero(I);
        int end = from + count;
        int i = from;
        for (int bound = from + S.loopBound(count); i < bound; i += S.length()) {
            IntVector bits = FloatVector.fromArray(S, x, i).reinterpretAsInts();
            any = any.or(bits.and(EXPONENT).add(EXPONENT_ONE));
        }
        int tail = 0;
        for (; i < end; i++) {
            tail |= (Float.floatToRawIntBits(x[i]) & EXPONENT) + EXPONENT_ONE;
        }
        return (any.reduceLanes(VectorOperators.OR) | tail) >= 0;
    }
}
