package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fused residual add + RMS norm gives the bits of the two steps apart, with any thread count. */
class ResidualNormFusionTest {
    @Test
    void fusedEqualsAddThenNorm() {
        SplittableRandom r = new SplittableRandom(21);
        int rows = 77;
        int width = 96;
        float[] x = new float[rows * width];
        float[] y = new float[rows * width];
        float[] weight = new float[width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) (r.nextGaussian() * 3);
        }
        for (int i = 0; i < width; i++) {
            weight[i] = (float) (1 + r.nextGaussian() * 0.1);
        }
        float[] wantX = x.clone();
        float[] want = new float[x.length];
        try (Parallel one = new Parallel(1)) {
            Elementwise.add(one, wantX, y, wantX.length);
            RmsNorm.apply(one, wantX, rows, width, weight, 1e-5f, want);
        }
        for (int threads : new int[] {1, 3}) {
            float[] gotX = x.clone();
            float[] got = new float[x.length];
            try (Parallel p = new Parallel(threads)) {
                RmsNorm.addThenApply(p, gotX, y, rows, width, weight, 1e-5f, got);
            }
            assertArrayEquals(wantX, gotX, "residual, " + threads + " threads");
            assertArrayEquals(want, got, "norm, " + threads + " threads");
        }
    }
}
