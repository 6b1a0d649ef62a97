package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.quant4j.api.tensor.DType;
import org.junit.jupiter.api.Test;

/** ggml's activation conversion before quantized dot products, checked on hand-computed blocks. */
class ActivationRoundingTest {
    @Test
    void q8_0BlockUsesAnF16ScaleAndRoundsHalfToEven() {
        float[] x = new float[64];
        x[0] = 1.27f;      // amax: d = 0.01, stored as F16 0.0100021362...
        x[1] = -0.5f;      // -50 codes
        x[2] = 0.005f;     // 0.5 codes: ties to even -> 0
        x[32] = 3f;        // second block: its own scale 3/127
        float[] r = ActivationRounding.forWeight(DType.Q8_0, x, 64, 64);
        float d = Float.float16ToFloat(Float.floatToFloat16(0.01f));
        assertEquals(127 * d, r[0]);
        assertEquals(-50 * d, r[1]);
        assertEquals(0f, r[2]);
        assertEquals(127 * Float.float16ToFloat(Float.floatToFloat16(3f / 127f)), r[32]);
    }

    @Test
    void q8_KBlockScalesBySignedExtremeAndKeepsFloatScale() {
        float[] x = new float[256];
        x[0] = -2f;        // signed extreme: iscale = -127 / -2 = 63.5, d = 1 / 63.5
        x[1] = 1f;         // 63.5 -> 64 (half to even)
        float[] r = ActivationRounding.forWeight(DType.Q4_K, x, 256, 256);
        assertEquals(-127 * (1 / 63.5f), r[0]);
        assertEquals(64 * (1 / 63.5f), r[1]);
        assertEquals(0f, r[2]);
    }

    @Test
    void f32WeightsSeeExactActivationsAndF16WeightsF16Ones() {
        float[] x = {1.0001f, 2f};
        assertSame(x, ActivationRounding.forWeight(DType.F32, x, 2, 2));
        assertEquals(1f, ActivationRounding.forWeight(DType.F16, x, 2, 2)[0]);
    }
}
