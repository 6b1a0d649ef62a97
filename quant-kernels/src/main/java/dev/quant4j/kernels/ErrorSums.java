package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorErrorSums;

/**
 * Round-trip error sums of a quantizer: squared error and squared signal of original against restored floats,
 * in double. The vector form is about seven times faster than the scalar one (which waits on its add chains);
 * both widen, subtract and square each element identically and differ only in the order of the additions.
 */
public final class ErrorSums {
    /**
     * Floats per probe of the vector form while the JIT has not compiled it: eight vectors. Uncompiled, every
     * lane operation allocates; with 1024-float probes they were the largest source of garbage in a Q8_0 run.
     */
    private static final int PROBE = 128;

    private ErrorSums() {
    }

    /**
     * Adds {@code sum((a - r)^2)} to {@code sums[0]} and {@code sum(a^2)} to {@code sums[1]} over {@code n}
     * values of {@code a[aOff ..]} and {@code r[rOff ..]}; vectorized when enabled.
     */
    public static void add(float[] a, int aOff, float[] r, int rOff, int n, double[] sums) {
        if (!Vectorization.enabled()) {
            scalar(a, aOff, r, rOff, n, sums);
        } else if (Gates.ERROR_SUMS.isOpen()) {
            VectorErrorSums.add(a, aOff, r, rOff, n, sums);
        } else {
            Gates.ERROR_SUMS.run(n, PROBE, (vector, from, count) -> {
                if (vector) {
                    VectorErrorSums.add(a, aOff + from, r, rOff + from, count, sums);
                } else {
                    scalar(a, aOff + from, r, rOff + from, count, sums);
                }
            });
        }
    }

    /** The reference: four accumulators per sum, so the loop does not wait on one add chain. */
    public static void scalar(float[] a, int aOff, float[] r, int rOff, int n, double[] sums) {
        double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            float a0 = a[aOff + i], a1 = a[aOff + i + 1], a2 = a[aOff + i + 2], a3 = a[aOff + i + 3];
            double d0 = (double) a0 - r[rOff + i], d1 = (double) a1 - r[rOff + i + 1];
            double d2 = (double) a2 - r[rOff + i + 2], d3 = (double) a3 - r[rOff + i + 3];
            e0 += d0 * d0;
            e1 += d1 * d1;
            e2 += d2 * d2;
            e3 += d3 * d3;
            s0 += (double) a0 * a0;
            s1 += (double) a1 * a1;
            s2 += (double) a2 * a2;
            s3 += (double) a3 * a3;
        }
        for (; i < n; i++) {
            double d = (double) a[aOff + i] - r[rOff + i];
            e0 += d * d;
            s0 += (double) a[aOff + i] * a[aOff + i];
        }
        sums[0] += e0 + e1 + e2 + e3;
        sums[1] += s0 + s1 + s2 + s3;
    }
}
