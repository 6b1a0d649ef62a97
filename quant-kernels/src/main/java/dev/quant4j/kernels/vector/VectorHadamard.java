package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@code Hadamard}: the butterfly stages whose half-width h is at least one vector run a
 * vector of pairs at a time; the narrower stages run as the scalar oracle does. Each output is the same single
 * rounded addition either way, so the bits agree with the oracle.
 */
public final class VectorHadamard {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorHadamard() {
    }

    /** v[off .. off + n) ← H_n v · scale in place; n a power of two (checked by the caller). */
    public static void transform(float[] v, int off, int n, float scale) {
        int h = 1;
        for (; h < n && h < L; h <<= 1) {
            for (int i = off; i < off + n; i += h << 1) {
                for (int j = i; j < i + h; j++) {
                    float a = v[j];
                    float b = v[j + h];
                    v[j] = a + b;
                    v[j + h] = a - b;
                }
            }
        }
        for (; h < n; h <<= 1) { // h is a multiple of L here
            for (int i = off; i < off + n; i += h << 1) {
                for (int j = i; j < i + h; j += L) {
                    FloatVector a = FloatVector.fromArray(S, v, j);
                    FloatVector b = FloatVector.fromArray(S, v, j + h);
                    a.add(b).intoArray(v, j);
                    a.sub(b).intoArray(v, j + h);
                }
            }
        }
        int i = off;
        for (int bound = off + S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, v, i).mul(scale).intoArray(v, i);
        }
        for (; i < off + n; i++) {
            v[i] *= scale;
        }
    }
}
