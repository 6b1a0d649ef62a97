package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ArchitectureSpec.Rope;
import dev.quant4j.api.spi.ArchitectureSpec.RopeScaling;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import org.junit.jupiter.api.Test;

/** RoPE pair layouts and scalings against hand-computed rotations (head of 4, 4 rotated dims, base 100). */
class RopeTest {
    private static final float[] X = {1, 2, 3, 4};

    private static float[] rotate(RopeStyle style, RopeScaling scaling, float factor, float[] freqFactors, int pos) {
        float[] x = X.clone();
        new dev.quant4j.eval.model.Rope(new Rope(style, 4, 100f, scaling, factor, 0), freqFactors).apply(x, 1, 1, 4, pos);
        return x;
    }

    /** Rotation of (a, b) by theta. */
    private static float[] rot(double a, double b, double theta) {
        return new float[] {(float) (a * Math.cos(theta) - b * Math.sin(theta)), (float) (a * Math.sin(theta) + b * Math.cos(theta))};
    }

    @Test
    void normRotatesAdjacentPairs() {
        // pair 0 (x0, x1) by pos * 100^0 = 3; pair 1 (x2, x3) by pos * 100^(-1/2) = 0.3
        float[] p0 = rot(1, 2, 3);
        float[] p1 = rot(3, 4, 0.3);
        assertArrayEquals(new float[] {p0[0], p0[1], p1[0], p1[1]}, rotate(RopeStyle.NORM, RopeScaling.NONE, 1, null, 3), 1e-5f);
    }

    @Test
    void neoxRotatesHalves() {
        // pair 0 (x0, x2) by 3; pair 1 (x1, x3) by 0.3
        float[] p0 = rot(1, 3, 3);
        float[] p1 = rot(2, 4, 0.3);
        assertArrayEquals(new float[] {p0[0], p1[0], p0[1], p1[1]}, rotate(RopeStyle.NEOX, RopeScaling.NONE, 1, null, 3), 1e-5f);
    }

    @Test
    void linearScalingDividesPositionsAndFreqFactorsDivideFrequencies() {
        assertArrayEquals(rotate(RopeStyle.NORM, RopeScaling.NONE, 1, null, 2),
                rotate(RopeStyle.NORM, RopeScaling.LINEAR, 2, null, 4), 1e-6f);
        // llama3 rope_freqs: pair 1's angle divided by 4 -> 3 * 0.1 / 4
        float[] p0 = rot(1, 2, 3);
        float[] p1 = rot(3, 4, 0.075);
        assertArrayEquals(new float[] {p0[0], p0[1], p1[0], p1[1]},
                rotate(RopeStyle.NORM, RopeScaling.NONE, 1, new float[] {1, 4}, 3), 1e-5f);
    }

    @Test
    void yarnIsRefusedByName() {
        QuantException e = assertThrows(QuantException.class, () -> rotate(RopeStyle.NORM, RopeScaling.YARN, 4, null, 1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'yarn'"), e.getMessage());
    }
}
