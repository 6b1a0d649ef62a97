package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorLevelSums;

/**
 * The fit sums of the IQ2 scale passes, side by side: per pass, {@code Σ_i t[4i + l_i]} over the values
 * {@code i = 0 .. n−1} in order, for two tables (ggml's {@code Σ w·xval·q} and {@code Σ w·q·q}, tabulated per
 * value and level), where value i's 2-bit level in pass p comes from the group code
 * {@code codes[(i/8)·stride + p]} (value i at bits {@code 2·(i%8)}). The vector form adds the same table
 * entries in the same order, one pass per lane, so every sum is bit-identical.
 */
public final class LevelSums {
    private static final boolean VECTOR = CodebookArgmin.vectorized();

    private LevelSums() {
    }

    /**
     * @param codes  group k's code of pass p at {@code codes[k·stride + p]}; stride a multiple of
     *               {@link CodebookArgmin#LANES}, at least {@code passes}
     * @param tx     first table, value i's level l at {@code tx[4i + l]}; at least {@code 4n + 16} floats
     * @param t2     second table, the same layout
     * @param sumX   receives pass p's sum over tx at {@code sumX[p]} (whole chunks of 16 written)
     * @param sum2   receives pass p's sum over t2
     */
    public static void codes8(int[] codes, int stride, int passes, int n, float[] tx, float[] t2, float[] sumX,
                              float[] sum2) {
        if (VECTOR) {
            VectorLevelSums.codes8(codes, stride, passes, n, tx, t2, sumX, sum2);
        } else {
            codes8Scalar(codes, stride, passes, n, tx, t2, sumX, sum2);
        }
    }

    /** The scalar reference of {@link #codes8}: pass after pass. */
    public static void codes8Scalar(int[] codes, int stride, int passes, int n, float[] tx, float[] t2, float[] sumX,
                                    float[] sum2) {
        for (int p = 0; p < passes; p++) {
            float sx = 0;
            float s2 = 0;
            for (int i = 0; i < n; i++) {
                int at = 4 * i + ((codes[(i >>> 3) * stride + p] >>> (2 * (i & 7))) & 3);
                sx += tx[at];
                s2 += t2[at];
            }
            sumX[p] = sx;
            sum2[p] = s2;
        }
    }
}
