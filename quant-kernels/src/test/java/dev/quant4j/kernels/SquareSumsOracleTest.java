package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.kernels.vector.VectorSquareSums;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-column sums of squares against hand-computed totals, and the vector form against the scalar oracle to
 * the bit: each column adds the same float squares in the same row order in both (a fused multiply-add, or adding
 * rows in another order, would show here on random data).
 */
class SquareSumsOracleTest {
    @Test
    void sumsSquaresPerColumnOverRows() {
        // x = [[1, 2, 3], [4, 5, 6]] after 2 floats of offset; acc starts at [10, 20, 30] after 1 float
        float[] x = {9, 9, 1, 2, 3, 4, 5, 6};
        for (int form = 0; form < 3; form++) {
            float[] acc = {7, 10, 20, 30};
            switch (form) {
                case 0 -> SquareSums.scalar(x, 2, 2, 3, acc, 1);
                case 1 -> VectorSquareSums.add(x, 2, 2, 3, acc, 1);
                default -> SquareSums.add(x, 2, 2, 3, acc, 1);
            }
            assertArrayEquals(new float[] {7, 10 + 1 + 16, 20 + 4 + 25, 30 + 9 + 36}, acc, 0f, "form " + form);
        }
    }

    @Test
    void vectorFormGivesTheScalarBitsForEveryShape() {
        Random rnd = new Random(9);
        int[] widths = {1, 7, 15, 16, 17, 33, 64, 100, 2051};
        for (int cols : widths) {
            for (int rows = 0; rows <= 9; rows++) {
                int xOff = rnd.nextInt(5);
                int accOff = rnd.nextInt(5);
                float[] x = new float[xOff + rows * cols];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 3));
                }
                float[] acc = new float[accOff + cols + 3];
                for (int i = 0; i < acc.length; i++) {
                    acc[i] = (float) Math.abs(rnd.nextGaussian() * 100);
                }
                float[] s = acc.clone();
                float[] v = acc.clone();
                float[] d = acc.clone();
                SquareSums.scalar(x, xOff, rows, cols, s, accOff);
                VectorSquareSums.add(x, xOff, rows, cols, v, accOff);
                SquareSums.add(x, xOff, rows, cols, d, accOff);
                assertEquals(0, java.util.Arrays.compare(s, v), cols + " columns, " + rows + " rows: vector form");
                assertEquals(0, java.util.Arrays.compare(s, d), cols + " columns, " + rows + " rows: dispatcher");
            }
        }
    }
}
