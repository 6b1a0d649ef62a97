package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.quant4j.api.spi.ArchitectureSpec.Rope;
import dev.quant4j.api.spi.ArchitectureSpec.RopeScaling;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import dev.quant4j.api.spi.ArchitectureSpec.Yarn;
import org.junit.jupiter.api.Test;

/** RoPE pair layouts and scalings (linear, llama 3.1 factors, YaRN) against hand-computed rotations. */
class RopeTest {
    private static final float[] X = {1, 2, 3, 4};

    private static float[] rotate(RopeStyle style, RopeScaling scaling, float factor, float[] freqFactors, int pos) {
        float[] x = X.clone();
        new dev.quant4j.eval.model.Rope(new Rope(style, 4, 100f, scaling, factor, 0), 2048, freqFactors)
                .apply(x, 1, 1, 4, pos);
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

    /** Head of 8, all rotated, base 100 (pair i turns by pos * 100^(-i/4)), NORM pairs, at position 3. */
    private static float[] rotate8(RopeScaling scaling, float factor, int originalContext, int contextLength,
                                   float attnFactor, Yarn yarn) {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        Rope spec = new Rope(RopeStyle.NORM, 8, 100f, scaling, factor, originalContext, attnFactor, yarn);
        new dev.quant4j.eval.model.Rope(spec, contextLength, null).apply(x, 1, 1, 8, 3);
        return x;
    }

    /** Pair i of {1..8} rotated by 3 * 100^(-i/4) * angleScale[i], everything times magnitude. */
    private static float[] expected8(double[] angleScale, double magnitude) {
        float[] out = new float[8];
        for (int i = 0; i < 4; i++) {
            float[] p = rot(2 * i + 1, 2 * i + 2, 3 * Math.pow(100, -i / 4.0) * angleScale[i]);
            out[2 * i] = (float) (p[0] * magnitude);
            out[2 * i + 1] = (float) (p[1] * magnitude);
        }
        return out;
    }

    @Test
    void yarnRampsFromExtrapolationToInterpolation() {
        // factor 4 (freq_scale 1/4), original context 512: correction dims
        // floor(8 ln(512 / (32 * 2pi)) / (2 ln 100)) = floor(0.81) = 0 and
        // ceil(8 ln(512 / 2pi) / (2 ln 100)) = ceil(3.82) = 4, so the ramp is 1 - i/4 = 1, 0.75, 0.5, 0.25 and the angle is theta * (1/4 * (1 - ramp) + ramp) = theta * 1, 0.8125,
        // 0.625, 0.4375; cos and sin are multiplied by 1 + 0.1 ln 4 (the context attention factor cancels to 1).
        float[] expected = expected8(new double[] {1, 0.8125, 0.625, 0.4375}, 1 + 0.1 * Math.log(4));
        assertArrayEquals(expected, rotate8(RopeScaling.YARN, 4, 512, 2048, 1, Yarn.DEFAULTS), 2e-6f);
        // without the original-context key the training context stands in for it
        assertArrayEquals(expected, rotate8(RopeScaling.YARN, 4, 0, 512, 1, Yarn.DEFAULTS), 2e-6f);
    }

    @Test
    void yarnWithLongOriginalContextExtrapolatesEveryPairButStillScalesMagnitude() {
        // original context 1e6: both correction dims clamp to 7 (floor(7.39), min(7, ceil(...))), every pair is below
        float[] expected = expected8(new double[] {1, 1, 1, 1}, 1 + 0.1 * Math.log(4));
        assertArrayEquals(expected, rotate8(RopeScaling.YARN, 4, 1_000_000, 2048, 1, Yarn.DEFAULTS), 2e-6f);
    }

    @Test
    void yarnWithExtrapolationFactorZeroIsLinearInterpolation() {
        float[] expected = expected8(new double[] {0.25, 0.25, 0.25, 0.25}, 1);
        assertArrayEquals(expected, rotate8(RopeScaling.YARN, 4, 512, 2048, 1, new Yarn(0f, 32f, 1f)), 2e-6f);
        assertArrayEquals(expected, rotate8(RopeScaling.LINEAR, 4, 512, 2048, 1, Yarn.DEFAULTS), 2e-6f);
    }

    @Test
    void attnFactorScalesEveryRotationAndTypeNoneIgnoresTheFactor() {
        assertArrayEquals(expected8(new double[] {0.5, 0.5, 0.5, 0.5}, 0.8),
                rotate8(RopeScaling.LINEAR, 2, 0, 2048, 0.8f, Yarn.DEFAULTS), 2e-6f);
        assertArrayEquals(expected8(new double[] {1, 1, 1, 1}, 1),
                rotate8(RopeScaling.NONE, 4, 0, 2048, 1, Yarn.DEFAULTS), 2e-6f);
        // yarn: the model's attn factor multiplies YaRN's magnitude correction
        assertArrayEquals(expected8(new double[] {1, 0.8125, 0.625, 0.4375}, 0.8 * (1 + 0.1 * Math.log(4))),
                rotate8(RopeScaling.YARN, 4, 512, 2048, 0.8f, Yarn.DEFAULTS), 2e-6f);
    }
}
