package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;

/** Facts about the platform's vector shape; only called once the module is known to be present. */
public final class VectorSupport {
    private VectorSupport() {
    }

    /** Float lanes of the preferred species (16 with AVX-512, 8 with AVX2). */
    public static int floatLanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }
}
