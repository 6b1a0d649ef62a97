package dev.quant4j.kernels.vector.archfixtures;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Obeys rule 6: the vector API where it belongs. */
public final class VectorKernel {
    public float sum(float[] a) {
        return FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, a, 0).reduceLanes(VectorOperators.ADD);
    }
}
