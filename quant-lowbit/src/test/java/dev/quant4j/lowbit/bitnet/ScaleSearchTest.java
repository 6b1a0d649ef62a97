package dev.quant4j.lowbit.bitnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PT-BitNet's calibrated scale (optimize-scales) and the IQ1_S layout, against hand-computed blocks. */
class ScaleSearchTest {
    /** 128 weights of 1 then 128 of 2: absmean gamma = 1.5. */
    private static float[] halfOnesHalfTwos() {
        float[] w = new float[256];
        Arrays.fill(w, 0, 128, 1f);
        Arrays.fill(w, 128, 256, 2f);
        return w;
    }

    @Test
    void unweightedOptimumOfTheHandBlockIsItsMean() {
        // s = 1.5: every level 1, error 128·0.5² + 128·0.5² = 64; s > 2 zeroes the ones (error ≥ 128) and any other
        // s with all levels 1 is worse than their mean 1.5
        float[] w = halfOnesHalfTwos();
        assertEquals(1.5f, ScaleSearch.scale(w, 0, null, 0));
        assertEquals(64.0, ScaleSearch.error(w, 0, null, 0, 1.5f), 0);
    }

    @Test
    void activationWeightsMoveTheScaleToTheChannelsThatMatter() {
        // only the first 128 channels see activations: s = 1 reproduces them exactly (weighted error 0)
        float[] w = halfOnesHalfTwos();
        float[] imp = new float[256];
        Arrays.fill(imp, 0, 128, 1f);
        assertEquals(1f, ScaleSearch.scale(w, 0, imp, 0));
        assertEquals(0.0, ScaleSearch.error(w, 0, imp, 0, 1f), 0);
    }

    @Test
    void neverWorseThanAbsmeanOnRandomBlocks() {
        Random rnd = new Random(7);
        for (int t = 0; t < 200; t++) {
            float[] w = new float[256];
            float[] imp = new float[256];
            for (int j = 0; j < 256; j++) {
                w[j] = (float) (rnd.nextGaussian() * (j % 17 == 0 ? 4 : 1));
                imp[j] = (float) Math.exp(rnd.nextGaussian());
            }
            float gamma = Absmean.gamma(w, 0);
            float s = ScaleSearch.scale(w, 0, imp, 0);
            assertTrue(ScaleSearch.error(w, 0, imp, 0, s) <= ScaleSearch.error(w, 0, imp, 0, gamma));
        }
    }

    @Test
    void optimisedScaleIsWhatTheTq2BlockStores() {
        float[] w = halfOnesHalfTwos();
        BitnetOptions on = new BitnetOptions(TernaryLayout.TQ2_0, 256, List.of("all"), KeptPrecision.F16, "true");
        BitnetAbsmeanQuantizer q = new BitnetAbsmeanQuantizer(TernaryLayout.TQ2_0, on);
        float[] imp = new float[256];
        Arrays.fill(imp, 0, 128, 1f);
        float[] back = roundTrip(q, w, imp);
        float[] expected = new float[256];
        Arrays.fill(expected, 1f); // level 1 everywhere, scale 1
        assertArrayEquals(expected, back);
        // auto without importance is the plain absmean: every weight becomes 1.5
        float[] plain = roundTrip(new BitnetAbsmeanQuantizer(TernaryLayout.TQ2_0), w, null);
        Arrays.fill(expected, 1.5f);
        assertArrayEquals(expected, plain);
    }

    @Test
    void iq1sLayoutCarriesTernaryBlocksItsGridHolds() {
        // an all-ones block: level 1 everywhere is grid point 0b...: IQ1_S stores it with a sub-block scale, so the
        // decoded weights are one value per 32 close to 1 (within IQ1_S's 3-bit scale and the delta of ±0.125)
        float[] w = new float[256];
        Arrays.fill(w, 1f);
        BitnetAbsmeanQuantizer q = new BitnetAbsmeanQuantizer(TernaryLayout.IQ1_S);
        assertEquals(50, q.encodedBytes("t", Shape.of(256)));
        float[] back = roundTrip(q, w, null);
        for (float v : back) {
            assertEquals(1f, v, 0.15f);
        }
    }

    private static float[] roundTrip(BitnetAbsmeanQuantizer q, float[] w, float[] imp) {
        Shape shape = Shape.of(w.length);
        MemorySegment enc = MemorySegment.ofArray(new byte[(int) q.encodedBytes("t", shape)]);
        q.quantize(TensorView.ofFloats("t", shape, w), 0, 1, imp, enc);
        float[] back = new float[w.length];
        q.dequantize(enc, shape, 0, 1, back);
        return back;
    }
}
