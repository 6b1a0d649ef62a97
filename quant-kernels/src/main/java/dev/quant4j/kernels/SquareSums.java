package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorSquareSums;

/**
 * The importance matrix's statistic: per column, the sum of squared inputs over a matmul's rows. Every column adds
 * its rows' squares in row order, each square rounded to float before the add (no fused multiply-add), so the vector
 * form gives the scalar form's bits, and llama-imatrix's ({@code acc[j] += x[j] * x[j]}, row by row).
 */
public final class SquareSums {
    /** Rows per probe of the vector form while the JIT has not compiled it. */
    private static final int PROBE = 4;

    private SquareSums() {
    }

    /**
     * {@code acc[accOff + j] += x[xOff + r * cols + j]²} for rows {@code r < rows} in order and columns {@code j < cols};
     * vectorized when enabled.
     */
    public static void add(float[] x, int xOff, int rows, int cols, float[] acc, int accOff) {
        if (!Vectorization.enabled()) {
            scalar(x, xOff, rows, cols, acc, accOff);
        } else if (Gates.SQUARE_SUMS.isOpen()) {
            VectorSquareSums.add(x, xOff, rows, cols, acc, accOff);
        } else {
            Gates.SQUARE_SUMS.run(rows, PROBE, (vector, from, count) -> {
                if (vector) {
                    VectorSquareSums.add(x, xOff + from * cols, count, cols, acc, accOff);
                } else {
                    scalar(x, xOff + from * cols, count, cols, acc, accOff);
                }
            });
        }
    }

    /** The reference: row by row, column by column. */
    public static void scalar(float[] x, int xOff, int rows, int cols, float[] acc, int accOff) {
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols;
            for (int j = 0; j < cols; j++) {
                float v = x[base + j];
                acc[accOff + j] += v * v;
            }
        }
    }
}
