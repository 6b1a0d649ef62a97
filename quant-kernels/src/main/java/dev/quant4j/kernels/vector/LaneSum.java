package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a float vector's lanes in one fixed order: a halving tree (lane i += lane i + L/2, then i + L/4, ...,
 * lane 0 + lane 1). {@code reduceLanes(ADD)} may add in any order, and does: interpreted or C1-compiled it adds
 * lane 0 to L-1 in sequence, once C2 intrinsifies it (x86) it adds by this tree, so a result depended on when the
 * JIT had compiled the caller. This tree is built from exact lanewise adds and fixed rearrangements, so it gives the
 * same bits interpreted and compiled, and they are the bits the compiled reduceLanes gave before.
 */
final class LaneSum {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // rotations by w lanes (lane i receives lane (i + w) mod L), each its own constant so that C2 intrinsifies the
    // rearrangements (a shuffle loaded from an array is not a constant to it)
    private static final VectorShuffle<Float> R1 = rotation(1);
    private static final VectorShuffle<Float> R2 = rotation(2);
    private static final VectorShuffle<Float> R4 = rotation(4);
    private static final VectorShuffle<Float> R8 = rotation(8);
    private static final VectorShuffle<Float> R16 = rotation(16);
    private static final VectorShuffle<Float> R32 = rotation(32);

    private LaneSum() {
    }

    /** The lanes of {@code v} summed by the halving tree (species of up to 64 lanes). */
    static float of(FloatVector v) {
        if (L > 32) {
            v = v.add(v.rearrange(R32));
        }
        if (L > 16) {
            v = v.add(v.rearrange(R16));
        }
        if (L > 8) {
            v = v.add(v.rearrange(R8));
        }
        if (L > 4) {
            v = v.add(v.rearrange(R4));
        }
        if (L > 2) {
            v = v.add(v.rearrange(R2));
        }
        if (L > 1) {
            v = v.add(v.rearrange(R1));
        }
        return v.lane(0);
    }

    private static VectorShuffle<Float> rotation(int w) {
        return VectorShuffle.fromOp(S, i -> (i + w) % L);
    }
}
