package dev.quant4j.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code dev.quant4j.kernels.ErrorSums} with the floats widened to double lanes: per element the same exact
 * widening, subtraction and squaring as the scalar form, summed in lane order (so sums differ from the scalar
 * ones only by the order of the additions).
 */
public final class VectorErrorSums {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorShape.forBitSize(S.vectorBitSize()));

    private VectorErrorSums() {
    }

    /**
     * Adds {@code sum((a - r)^2)} to {@code sums[0]} and {@code sum(a^2)} to {@code sums[1]} over {@code n}
     * values of {@code a[aOff ..]} and {@code r[rOff ..]}.
     */
    public static void add(float[] a, int aOff, float[] r, int rOff, int n, double[] sums) {
        DoubleVector e0 = DoubleVector.zero(D);
        DoubleVector e1 = e0;
        DoubleVector s0 = e0;
        DoubleVector s1 = e0;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector fa = FloatVector.fromArray(S, a, aOff + i);
            FloatVector fr = FloatVector.fromArray(S, r, rOff + i);
            DoubleVector a0 = (DoubleVector) fa.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector a1 = (DoubleVector) fa.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector d0 = a0.sub((DoubleVector) fr.convertShape(VectorOperators.F2D, D, 0));
            DoubleVector d1 = a1.sub((DoubleVector) fr.convertShape(VectorOperators.F2D, D, 1));
            e0 = e0.add(d0.mul(d0));
            e1 = e1.add(d1.mul(d1));
            s0 = s0.add(a0.mul(a0));
            s1 = s1.add(a1.mul(a1));
        }
        double e = e0.add(e1).reduceLanes(VectorOperators.ADD);
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double d = (double) a[aOff + i] - r[rOff + i];
            e += d * d;
            s += (double) a[aOff + i] * a[aOff + i];
        }
        sums[0] += e;
        sums[1] += s;
    }
}
