package dev.quant4j.integer.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import org.junit.jupiter.api.Test;

class DynamicQuantizerTest {
    /** Two rows of three; every scale below is a power of two, so every expected value is exact. */
    private static final float[] X = {15.875f, -7.9375f, 1.25f, 0.9921875f, -0.25f, 0.19921875f};

    @Test
    void int8PerTensorByHand() {
        // max |x| = 15.875 = 127 / 8 -> scale 0.125; x / 0.125 = 127, -63.5 -> -64 (tie to even), 10,
        // 7.9375 -> 8, -2, 1.59375 -> 2
        DynamicQuantizer q = new DynamicQuantizer(ActivationScheme.INT8_PER_TENSOR, ScaleRule.maxAbs());
        QuantizedActivations a = q.quantize(X, 2, 3);
        assertArrayEquals(new float[] {0.125f}, a.scales());
        assertArrayEquals(new byte[] {127, -64, 10, 8, -2, 2}, a.codes());
        assertArrayEquals(new float[] {15.875f, -8f, 1.25f, 1f, -0.25f, 0.25f}, a.dequantize());
        // |error| 0, 0.0625, 0, 0.0078125, 0, 0.05078125: sum 0.12109375, mean / 6
        assertEquals(0.12109375 / 6, a.meanAbsError(X), 1e-15);
    }

    @Test
    void int8PerRowByHand() {
        // row 0 scale 0.125: 127, -64, 10; row 1 max 127/128 -> scale 1/128: 127, -32, 25.5 -> 26 (tie to even)
        DynamicQuantizer q = new DynamicQuantizer(ActivationScheme.INT8_PER_ROW, ScaleRule.maxAbs());
        QuantizedActivations a = q.quantize(X, 2, 3);
        assertArrayEquals(new float[] {0.125f, 0.0078125f}, a.scales());
        assertArrayEquals(new byte[] {127, -64, 10, 127, -32, 26}, a.codes());
        assertEquals(0.0078125f, a.scale(1));
        assertEquals((byte) 26, a.code(1, 2));
        assertArrayEquals(new float[] {15.875f, -8f, 1.25f, 0.9921875f, -0.25f, 0.203125f}, a.dequantize());
    }

    @Test
    void int4PerTensorByHand() {
        // max 14 -> scale 2; x / 2 = 7, -3.5 -> -4 (tie to even), 2.5 -> 2 (tie to even), 0.25 -> 0, -5, 0.5 -> 0
        float[] x = {14f, -7f, 5f, 0.5f, -10f, 1f};
        DynamicQuantizer q = new DynamicQuantizer(ActivationScheme.INT4_PER_TENSOR, ScaleRule.maxAbs());
        QuantizedActivations a = q.quantize(x, 1, 6);
        assertArrayEquals(new float[] {2f}, a.scales());
        assertArrayEquals(new byte[] {7, -4, 2, 0, -5, 0}, a.codes());
        // errors 0, 1, 1, 0.5, 0, 1 -> mean 3.5 / 6
        assertEquals(3.5 / 6, a.meanAbsError(x), 1e-12);
    }

    @Test
    void percentileClipsTheTail() {
        // |x| sorted: 1 2 3 4 5 6 7 8 9 100; p = 0.9 -> rank ceil(9) = 9 -> clip 9, scale 9/127
        float[] x = {1, -2, 3, -4, 5, -6, 7, -8, 9, -100};
        DynamicQuantizer q = new DynamicQuantizer(ActivationScheme.INT8_PER_TENSOR, ScaleRule.percentile(0.9));
        QuantizedActivations a = q.quantize(x, 1, 10);
        assertEquals(9f / 127f, a.scale(0));
        assertEquals((byte) -127, a.code(0, 9), "the outlier saturates");
        assertEquals((byte) 127, a.code(0, 8));
        // p = 1 is max |x|; p = 0.91 -> rank ceil(9.1) = 10 -> 100
        assertEquals(100f / 127f, new DynamicQuantizer(ActivationScheme.INT8_PER_TENSOR, ScaleRule.percentile(1))
                .quantize(x, 1, 10).scale(0));
        assertEquals(100f / 127f, new DynamicQuantizer(ActivationScheme.INT8_PER_TENSOR, ScaleRule.percentile(0.91))
                .quantize(x, 1, 10).scale(0));
        // int4 per-tensor with p = 0.5: rank 5 -> clip 5, scale 5/7
        QuantizedActivations a4 = new DynamicQuantizer(ActivationScheme.INT4_PER_TENSOR, ScaleRule.percentile(0.5))
                .quantize(x, 2, 5);
        assertEquals(5f / 7f, a4.scale(0));
        assertArrayEquals(new byte[] {1, -3, 4, -6, 7, -7, 7, -7, 7, -7}, a4.codes());
    }

    @Test
    void allZeroInputHasScaleOneAndDecodesExactly() {
        QuantizedActivations a = new DynamicQuantizer(ActivationScheme.INT8_PER_ROW, ScaleRule.maxAbs())
                .quantize(new float[] {0, 0, 127, -127}, 2, 2);
        assertArrayEquals(new float[] {1f, 1f}, a.scales());
        assertArrayEquals(new byte[] {0, 0, 127, -127}, a.codes());
        assertArrayEquals(new float[] {0, 0, 127, -127}, a.dequantize());
    }

    @Test
    void percentileOfZeroOverNonZeroDataIsRefused() {
        float[] sparse = {0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
        DynamicQuantizer q = new DynamicQuantizer(ActivationScheme.INT8_PER_TENSOR, ScaleRule.percentile(0.5));
        var e = assertThrows(IllegalArgumentException.class, () -> q.quantize(sparse, 1, 10));
        assertTrue(e.getMessage().contains("clip value of 0") && e.getMessage().contains("3.0"), e.getMessage());
    }

    @Test
    void badInputsFailClearly() {
        DynamicQuantizer q = new DynamicQuantizer(ActivationScheme.INT8_PER_ROW, ScaleRule.maxAbs());
        var empty = assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[0], 0, 4));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> q.quantize(X, 4, 2));
        assertTrue(shape.getMessage().contains("6 values") && shape.getMessage().contains("4 x 2"), shape.getMessage());
        var nan = assertThrows(QuantException.class, () -> q.quantize(new float[] {1, Float.NaN}, 1, 2));
        assertEquals(ErrorCode.NON_FINITE_INPUT, nan.code());
        assertTrue(nan.getMessage().contains("index 1"), nan.getMessage());
        var zero = assertThrows(IllegalArgumentException.class,
                () -> q.quantizeWithScales(X, 2, 3, new float[] {0.1f, 0f}));
        assertTrue(zero.getMessage().contains("scale 1 is 0.0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.quantizeWithScales(X, 2, 3, new float[] {0.1f}));
        assertThrows(IllegalArgumentException.class, () -> ScaleRule.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> ScaleRule.percentile(1.01));
        assertThrows(IllegalArgumentException.class, () -> ScaleRule.percentile(Double.NaN));
        var mae = assertThrows(IllegalArgumentException.class, () -> q.quantize(X, 2, 3).meanAbsError(new float[5]));
        assertTrue(mae.getMessage().contains("5 values"), mae.getMessage());
    }

    @Test
    void staticScalesSaturate() {
        // scale 0.05 given: 15.875 / 0.05 = 317.5 -> 127; -7.9375 / 0.05 = -158.75 -> -127; 0.9921875 / 0.05 = 19.84 -> 20
        QuantizedActivations a = new DynamicQuantizer(ActivationScheme.INT8_PER_TENSOR, ScaleRule.maxAbs())
                .quantizeWithScales(X, 2, 3, new float[] {0.05f});
        assertEquals((byte) 127, a.code(0, 0));
        assertEquals((byte) -127, a.code(0, 1));
        assertEquals((byte) 20, a.code(1, 0));
    }

    @Test
    void wrappedCodesAreValidated() {
        var e = assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.of(
                ActivationScheme.INT4_PER_TENSOR, 1, 2, new byte[] {7, 8}, new float[] {1f}));
        assertTrue(e.getMessage().contains("code 8"), e.getMessage());
        QuantizedActivations ok = QuantizedActivations.of(ActivationScheme.INT4_PER_TENSOR, 1, 2,
                new byte[] {7, -7}, new float[] {0.5f});
        assertArrayEquals(new float[] {3.5f, -3.5f}, ok.dequantize());
    }

    @Test
    void roundTripErrorBoundedByHalfAScale() {
        java.util.Random r = new java.util.Random(11);
        float[] x = new float[8 * 256];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (ActivationScheme s : ActivationScheme.values()) {
            QuantizedActivations a = new DynamicQuantizer(s, ScaleRule.maxAbs()).quantize(x, 8, 256);
            float[] back = a.dequantize();
            double mae = 0;
            for (int i = 0; i < x.length; i++) {
                float scale = a.scale(i / 256);
                assertTrue(Math.abs(x[i] - back[i]) <= scale / 2 * (1 + 1e-5), s + " element " + i);
                mae += Math.abs(x[i] - back[i]);
            }
            assertEquals(mae / x.length, a.meanAbsError(x), 1e-9);
        }
    }
}
