package dev.quant4j.kernels.archfixtures;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Violates rule 6: the vector API outside dev.quant4j.kernels.vector. */
public final class ScalarKernelUsingVector {
    public float sum(float[] a) {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        return FloatVector.fromArray(s, a, 0).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
