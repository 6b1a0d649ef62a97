package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The IQ2 passes' fit sums with one pass per lane (contract: {@code dev.quant4j.kernels.LevelSums}): value i's
 * four table entries are loaded once and each lane picks its level's entry with a permute, then adds it, in
 * value order, exactly as the scalar loop. Needs 16 native lanes.
 */
public final class VectorLevelSums {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;

    private VectorLevelSums() {
    }

    /** As {@code LevelSums.codes8}. */
    public static void codes8(int[] codes, int stride, int passes, int n, float[] tx, float[] t2, float[] sumX,
                              float[] sum2) {
        for (int c = 0; c < passes; c += 16) {
            FloatVector sx = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F);
            for (int k = 0; k < n / 8; k++) {
                IntVector code = IntVector.fromArray(I, codes, k * stride + c);
                for (int j = 0; j < 8; j++) {
                    int i = 8 * k + j;
                    IntVector l = code.lanewise(VectorOperators.LSHR, 2 * j).and(3);
                    sx = sx.add(l.selectFrom(FloatVector.fromArray(F, tx, 4 * i).reinterpretAsInts())
                            .reinterpretAsFloats());
                    s2 = s2.add(l.selectFrom(FloatVector.fromArray(F, t2, 4 * i).reinterpretAsInts())
                            .reinterpretAsFloats());
                }
            }
            sx.intoArray(sumX, c);
            s2.intoArray(sum2, c);
        }
    }
}
