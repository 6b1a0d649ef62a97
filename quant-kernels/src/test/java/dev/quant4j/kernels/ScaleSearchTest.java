package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-checked cases of the reference searches; byte-exactness at scale is proven by the shared vectors. */
class ScaleSearchTest {
    @Test
    void qxFindsAnExactGrid() {
        // max = -2 (largest magnitude, sign kept): iscale = -4 / -2 = 2, levels 2x = -4 -2 1 3, exact fit at 0.5
        float[] x = {9, -2f, -1f, 0.5f, 1.5f};
        byte[] L = new byte[4];
        assertEquals(0.5f, QxQuants.make(4, 4, x, 1, null, 0, L, 0));
        assertArrayEquals(new byte[] {0, 2, 5, 7}, L);
    }

    @Test
    void qxAllZeroBlock() {
        byte[] L = {1, 1, 1};
        assertEquals(0f, QxQuants.make(3, 4, new float[3], 0, null, 0, L, 0));
        assertArrayEquals(new byte[3], L);
    }

    @Test
    void q3FindsAnExactGrid() {
        float[] x = {-2f, -1f, 0.5f, 1.5f};
        byte[] L = new byte[4];
        assertEquals(0.5f, Q3Quants.make(4, 4, x, 0, L, 0));
        assertArrayEquals(new byte[] {0, 2, 5, 7}, L);
    }

    @Test
    void qkx2FindsAnExactAffineGrid() {
        // min -0.5, max 1: iscale 3 / 1.5 = 2 gives levels 0..3 with zero error; no candidate can beat it
        float[] x = {-0.5f, 0f, 0.5f, 1.0f};
        float[] w = {1, 1, 1, 1};
        byte[] L = new byte[4];
        float[] mins = new float[2];
        assertEquals(0.5f, QkxQuants.make2(4, 3, x, 0, w, 0, -0.5f, 0.1f, 15, true, L, 0, new byte[4], mins, 1));
        assertEquals(0.5f, mins[1]);
        assertArrayEquals(new byte[] {0, 1, 2, 3}, L);
    }

    @Test
    void qkx3DegenerateBlock() {
        float[] x = {0.25f, 0.25f};
        byte[] L = {5, 5};
        float[] mins = new float[1];
        // min is raised to 0, max 0.25 > 0 so this is not degenerate: levels 3, scale 1/12
        assertEquals(0.25f / 3, QkxQuants.make3(2, 3, x, 0, null, 0, -0.9f, 0.05f, 0, false, L, 0, new byte[2], mins, 0));
        assertArrayEquals(new byte[] {3, 3}, L);
        float[] neg = {-0.25f, -0.25f};
        assertEquals(0f, QkxQuants.make3(2, 3, neg, 0, null, 0, -0.9f, 0.05f, 36, false, L, 0, new byte[2], mins, 0));
        assertEquals(0.25f, mins[0]);
        assertArrayEquals(new byte[2], L);
    }

    @Test
    void qpWrapsANegativeLevelLikeAnUnsignedByte() {
        // worked by hand: the search settles on iscale 3.9, levels 4 -1 0 2 (the -1 stored as 255), no refinement
        float[] x = {1f, -0.3f, 0f, 0.5f};
        float[] qw = {1, 1, 1, 1};
        byte[] L = new byte[4];
        float sumlx = 1f * 1f * 4 + 1f * -0.3f * -1 + 0f + 1f * 0.5f * 2;
        assertEquals(sumlx / 21f, QpQuants.make(4, 4, x, 0, qw, 0, L, 0));
        assertArrayEquals(new byte[] {4, (byte) 255, 0, 2}, L);
    }
}
