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
    /** Rotations by L/2, L/4, ..., 1 lanes: lane i receives lane (i + w) mod L. */
    private static final VectorShuffle<Float>[] HALVES = halves();

    private LaneSum() {
    }

    static float of(FloatVector v) {
        for (VectorShuffle<Float> h : HALVES) {
            v = v.add(v.rearrange(h));
        }
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halves() {
        int levels = Integer.numberOfTrailingZeros(S.length());
        VectorShuffle<Float>[] h = (VectorShuffle<Float>[]) new VectorShuffle<?>[levels];
        for (int k = 0, w = S.length() / 2; w >= 1; k++, w /= 2) {
            int shift = w;
            h[k] = VectorShuffle.fromOp(S, i -> (i + shift) % S.length());
        }
        return h;
    }
}
