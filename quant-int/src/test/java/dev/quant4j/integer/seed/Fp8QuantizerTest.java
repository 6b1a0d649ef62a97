package dev.quant4j.integer.seed;

import static dev.quant4j.integer.seed.SeedTestSupport.assertBytes;
import static dev.quant4j.integer.seed.SeedTestSupport.bytes;
import static dev.quant4j.integer.seed.SeedTestSupport.decode;
import static dev.quant4j.integer.seed.SeedTestSupport.encode;
import static dev.quant4j.integer.seed.SeedTestSupport.f32;
import static dev.quant4j.integer.seed.SeedTestSupport.quantizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Fp8QuantizerTest {
    private final Fp8E4M3QuantizerProvider e4m3 = new Fp8E4M3QuantizerProvider();
    private final Fp8E5M2QuantizerProvider e5m2 = new Fp8E5M2QuantizerProvider();

    @Test
    void descriptors() {
        assertEquals("fp8_e4m3", e4m3.descriptor().name());
        assertEquals("fp8_e5m2", e5m2.descriptor().name());
        assertTrue(e4m3.descriptor().has(Capability.DEQUANTIZE));
        assertEquals("fp8_e4m3/per-row", quantizer(e4m3, Map.of()).encoding().name());
        assertEquals("fp8_e5m2/per-tensor", quantizer(e5m2, Map.of("granularity", "per-tensor")).encoding().name());
    }

    @Test
    void e4m3PerRowBytesByHand() {
        // row 0: max 448 -> scale 1. 448 = 1.75 * 2^8 -> 0 1111 110 = 0x7E; -1 -> 1 0111 000 = 0xB8;
        //        0.5 -> 0 0110 000 = 0x30; 3 = 1.5 * 2 -> 0 1000 100 = 0x44
        // row 1: max 896 -> scale 2; x / 2 = 448, 0.5, -1, 0.0078125 = 2^-7 (subnormal 4 * 2^-9 -> 0x04)
        float[] x = {448f, -1f, 0.5f, 3f, 896f, 1f, -2f, 0.015625f};
        Shape s = Shape.of(4, 2);
        Quantizer q = quantizer(e4m3, Map.of());
        byte[] want = bytes(f32(1f), 0x7E, 0xB8, 0x30, 0x44, f32(2f), 0x7E, 0x30, 0xB8, 0x04);
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, x)));
        assertArrayEquals(x, decode(q, want, s), "every value is representable, so the round trip is exact");
    }

    @Test
    void e5m2PerTensorBytesByHand() {
        // max 57344 -> scale 1; 57344 = 1.75 * 2^15 -> 0 11110 11 = 0x7B; 1 -> 0 01111 00 = 0x3C;
        // -0.75 = -1.5 * 2^-1 -> 1 01110 10 = 0xBA; 2^-16 -> smallest subnormal 0x01; 1.1 rounds to 1.0 -> 0x3C
        float[] x = {57344f, 1f, -0.75f, 0x1p-16f, 1.1f, 0f};
        Shape s = Shape.of(3, 2);
        Quantizer q = quantizer(e5m2, Map.of("granularity", "per-tensor"));
        byte[] want = bytes(f32(1f), 0x7B, 0x3C, 0xBA, 0x01, 0x3C, 0x00);
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, x)));
        assertArrayEquals(new float[] {57344f, 1f, -0.75f, 0x1p-16f, 1f, 0f}, decode(q, want, s));
    }

    @Test
    void scaleMapsTheRowMaximumOntoTheLargestCode() {
        // max |x| = 1 -> scale 1/448; -1 -> -448 (0xFE); 0.5 -> 224 = 1.75 * 2^7 -> 0 1110 110 = 0x76
        float[] x = {0.5f, -1f};
        Quantizer q = quantizer(e4m3, Map.of());
        byte[] enc = encode(q, TensorView.ofFloats("m", Shape.of(2, 1), x));
        assertBytes(bytes(f32(1f / 448f), 0x76, 0xFE), enc);
    }

    @Test
    void roundTripRelativeErrorWithinHalfAnUlpOfTheFormat() {
        float[] x = SeedTestSupport.gaussian(5, 64 * 8, 0.1f);
        Shape s = Shape.of(64, 8);
        TensorView v = TensorView.ofFloats("r", s, x);
        check(quantizer(e4m3, Map.of()), v, x, 3, 0x1p-9);
        check(quantizer(e5m2, Map.of()), v, x, 2, 0x1p-16);
        check(quantizer(e4m3, Map.of("granularity", "per-group", "group-size", "16")), v, x, 3, 0x1p-9);
    }

    /** |x - x'| <= max(|x| * 2^-(m+1), scale * subnormalStep / 2), the format's rounding error scaled back. */
    private static void check(Quantizer q, TensorView v, float[] x, int mantissaBits, double subStep) {
        byte[] enc = encode(q, v);
        float[] back = decode(q, enc, v.shape());
        int n = (int) v.rowLength();
        SymmetricByteQuantizer sq = (SymmetricByteQuantizer) q;
        int per = sq.layout().valuesPerScale(n);
        for (int i = 0; i < x.length; i++) {
            int from = i / per * per;
            float amax = 0;
            for (int j = from; j < from + per; j++) {
                amax = Math.max(amax, Math.abs(x[j]));
            }
            double scale = amax / (mantissaBits == 3 ? 448.0 : 57344.0);
            double bound = Math.max(Math.abs(x[i]) * Math.scalb(1.0, -(mantissaBits + 1)), scale * subStep / 2);
            assertTrue(Math.abs(x[i] - back[i]) <= bound * (1 + 1e-5), q.encoding() + " element " + i);
        }
    }

    @Test
    void errorsNameTensorAndField() {
        Quantizer q = quantizer(e5m2, Map.of());
        float[] x = {1f, Float.NaN};
        var e = assertThrows(QuantException.class, () -> encode(q, TensorView.ofFloats("emb", Shape.of(2, 1), x)));
        assertEquals(ErrorCode.NON_FINITE_INPUT, e.code());
        assertTrue(e.getMessage().contains("'emb'") && e.getMessage().contains("element 1"), e.getMessage());
        var o = assertThrows(QuantException.class, () -> e4m3.parseOptions(Map.of("granularity", "per-group")));
        assertTrue(o.getMessage().contains("group-size"), o.getMessage());
    }
}
