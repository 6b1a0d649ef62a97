package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code dev.quant4j.kernels.SquareSums} in float lanes: a lane per column, rows taken four at a time so each
 * accumulator is loaded and stored once per four rows; per column the same squares added in the same row order as
 * the scalar form (multiply, then add: the bits are the scalar ones).
 */
public final class VectorSquareSums {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorSquareSums() {
    }

    /** {@code acc[accOff + j] += x[xOff + r * cols + j]²} for rows {@code r < rows} in order, columns {@code j < cols}. */
    public static void add(float[] x, int xOff, int rows, int cols, float[] acc, int accOff) {
        int bound = S.loopBound(cols);
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            int b0 = xOff + r * cols;
            int b1 = b0 + cols;
            int b2 = b1 + cols;
            int b3 = b2 + cols;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector v0 = FloatVector.fromArray(S, x, b0 + j);
                FloatVector v1 = FloatVector.fromArray(S, x, b1 + j);
                FloatVector v2 = FloatVector.fromArray(S, x, b2 + j);
                FloatVector v3 = FloatVector.fromArray(S, x, b3 + j);
                FloatVector.fromArray(S, acc, accOff + j)
                        .add(v0.mul(v0)).add(v1.mul(v1)).add(v2.mul(v2)).add(v3.mul(v3))
                        .intoArray(acc, accOff + j);
            }
            for (; j < cols; j++) {
                float v0 = x[b0 + j];
                float v1 = x[b1 + j];
                float v2 = x[b2 + j];
                float v3 = x[b3 + j];
                acc[accOff + j] = acc[accOff + j] + v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3;
            }
        }
        for (; r < rows; r++) {
            int b = xOff + r * cols;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, b + j);
                FloatVector.fromArray(S, acc, accOff + j).add(v.mul(v)).intoArray(acc, accOff + j);
            }
            for (; j < cols; j++) {
                float v = x[b + j];
                acc[accOff + j] += v * v;
            }
        }
    }
}
