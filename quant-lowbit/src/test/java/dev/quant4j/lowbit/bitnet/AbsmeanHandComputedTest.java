package dev.quant4j.lowbit.bitnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocks worked out by hand (dyadic values, so every float sum below is exact). */
class AbsmeanHandComputedTest {
    /** 8 values repeated 32 times: |.| sums to 5 per period, 160 per block, mean 0.625. */
    private static final float[] PERIOD = {0.5f, -1.0f, 0.25f, 2.0f, -0.125f, 0f, 0.75f, -0.375f};
    /** w / 0.625 = 0.8, -1.6, 0.4, 3.2, -0.2, 0, 1.2, -0.6 -> clamp and round. */
    private static final int[] LEVELS = {1, -1, 0, 1, 0, 0, 1, -1};

    private static float[] periodic(float[] period, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = period[i % period.length];
        }
        return x;
    }

    @Test
    void gammaAndLevels() {
        float[] x = periodic(PERIOD, 256);
        // 0.625 + 1e-8 rounds back to 0.625: half an ulp of 0.625 is 2.98e-8
        assertEquals(0.625f, Absmean.gamma(x, 0));
        for (int i = 0; i < 8; i++) {
            assertEquals(LEVELS[i], Absmean.level(PERIOD[i], 0.625f), "w = " + PERIOD[i]);
        }
        assertEquals((short) 0x3900, Absmean.storedScale(0.625f));
    }

    @Test
    void exactHalvesRoundToZeroAndClampBeyondOne() {
        // |.| = 0.5, 1.5, 1, 1: mean 1, gamma = 1 + 1e-8 = 1.0f
        float[] x = periodic(new float[] {0.5f, -1.5f, 1.0f, -1.0f}, 256);
        float gamma = Absmean.gamma(x, 0);
        assertEquals(1.0f, gamma);
        assertEquals(0, Absmean.level(0.5f, gamma));
        assertEquals(0, Absmean.level(-0.5f, gamma));
        assertEquals(-1, Absmean.level(-1.5f, gamma));
        assertEquals(1, Absmean.level(1.0f, gamma));
        assertEquals(1, Absmean.level(Math.nextUp(0.5f), gamma));
    }

    @Test
    void zeroBlockStoresAZeroScale() {
        float[] x = new float[256];
        assertEquals(1e-8f, Absmean.gamma(x, 0));
        assertEquals((short) 0, Absmean.storedScale(1e-8f));  // below half the smallest fp16 subnormal
        byte[] tq2 = encode(TernaryLayout.TQ2_0, x);
        for (int i = 0; i < 64; i++) {
            assertEquals(0x55, tq2[i] & 0xFF);
        }
        assertEquals(0, tq2[64]);
        assertEquals(0, tq2[65]);
    }

    @Test
    void hugeGammaSaturatesTheFp16Scale() {
        assertEquals((short) 0x7BFF, Absmean.storedScale(1e6f));
        assertEquals((short) 0x7BFF, Absmean.storedScale(65504f));
    }

    @Test
    void tq2BytesOfTheHandBlock() {
        float[] x = periodic(PERIOD, 256);
        byte[] b = encode(TernaryLayout.TQ2_0, x);
        // byte m holds elements m, m+32, m+64, m+96 (bits 0-1, 2-3, 4-5, 6-7); all four share m % 8
        for (int m = 0; m < 64; m++) {
            int t = LEVELS[m % 8] + 1;
            assertEquals(t | t << 2 | t << 4 | t << 6, b[m] & 0xFF, "byte " + m);
        }
        assertEquals(0x00, b[64] & 0xFF);
        assertEquals(0x39, b[65] & 0xFF);
    }

    @Test
    void tq1BytesOfTheHandBlock() {
        float[] x = periodic(PERIOD, 256);
        byte[] b = encode(TernaryLayout.TQ1_0, x);
        // byte 0: elements 0, 32, 64, 96, 128, all level +1 -> trits 2,2,2,2,2 = 242 -> ceil(242*256/243) = 255
        assertEquals(255, b[0] & 0xFF);
        // byte 1: level -1 -> trits 0 -> 0
        assertEquals(0, b[1] & 0xFF);
        // byte 2: level 0 -> trits 1,1,1,1,1 = 121 -> ceil(121*256/243) = 128
        assertEquals(128, b[2] & 0xFF);
        // qh byte 0: elements 240, 244, 248, 252 have levels +1, 0, +1, 0 (index mod 8 = 0, 4, 0, 4):
        // trits 2,1,2,1 -> ((2*3+1)*3+2)*3+1 = 70, *3 = 210 -> ceil(210*256/243) = 222
        assertEquals(222, b[48] & 0xFF);
        assertEquals(0x00, b[52] & 0xFF);
        assertEquals(0x39, b[53] & 0xFF);
    }

    @Test
    void llamaCppDequantizationIsLevelTimesFp16Gamma() {
        float[] x = periodic(PERIOD, 512);
        for (TernaryLayout layout : List.of(TernaryLayout.TQ2_0, TernaryLayout.TQ1_0)) {
            BitnetAbsmeanQuantizer q = new BitnetAbsmeanQuantizer(layout);
            byte[] bytes = encode(layout, x);
            float[] back = new float[512];
            q.dequantize(MemorySegment.ofArray(bytes), Shape.of(512), 0, 1, back);
            float[] expected = new float[512];
            for (int i = 0; i < 512; i++) {
                expected[i] = LEVELS[i % 8] * 0.625f;
            }
            assertArrayEquals(expected, back, layout.name());
        }
    }

    @Test
    void statsOfTheHandBlock() {
        BitnetAbsmeanQuantizer q = new BitnetAbsmeanQuantizer(TernaryLayout.TQ2_0);
        TernaryStats s = q.stats(TensorView.ofFloats("w", Shape.of(256, 2), periodic(PERIOD, 512)));
        assertEquals(512, s.elements());
        assertEquals(3.0 / 8, s.sparsity());
        // errors -0.125, -0.375, 0.25, 1.375, -0.125, 0, 0.125, 0.25: squares sum to 2.203125 per period
        assertEquals(Math.sqrt(2.203125 / 8), s.rmse(), 1e-15);
    }

    static byte[] encode(TernaryLayout layout, float[] x) {
        BitnetAbsmeanQuantizer q = new BitnetAbsmeanQuantizer(layout);
        Shape shape = Shape.of(x.length);
        MemorySegment out = MemorySegment.ofArray(new byte[(int) q.encodedBytes("t", shape)]);
        q.quantize(TensorView.ofFloats("t", shape, x), 0, 1, null, out);
        return out.toArray(ValueLayout.JAVA_BYTE);
    }
}
