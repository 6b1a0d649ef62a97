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
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Int4QuantizerTest {
    private final Int4QuantizerProvider provider = new Int4QuantizerProvider();

    @Test
    void descriptorAndDefaults() {
        assertEquals("int4", provider.descriptor().name());
        assertTrue(provider.descriptor().has(Capability.DEQUANTIZE));
        assertTrue(provider.descriptor().has(Capability.ROW_INDEPENDENT));
        assertEquals("int4/g32", quantizer(provider, Map.of()).encoding().name());
    }

    @Test
    void bytesByHand() {
        // three groups of four:
        //   [0, 2.5, 3.5, 15]: min 0, scale 15/15 = 1 -> q 0, 2 (tie to even), 4 (tie to even), 15
        //   [-8, -8, -8, -8]:  all equal, scale 0, min -8 -> q 0, decodes exactly to -8
        //   [-3, -1.5, 0, 4.5]: min -3, scale 7.5/15 = 0.5 -> q 0, 3, 6, 15
        float[] x = {0f, 2.5f, 3.5f, 15f, -8f, -8f, -8f, -8f, -3f, -1.5f, 0f, 4.5f};
        Shape s = Shape.of(12, 1);
        Quantizer q = quantizer(provider, Map.of("group-size", "4"));
        // codes low nibble first: (0,2) (4,15) (0,0) (0,0) (0,3) (6,15)
        byte[] want = bytes(f32(1f), f32(0f), f32(0f), f32(-8f), f32(0.5f), f32(-3f),
                0x20, 0xF4, 0x00, 0x00, 0x30, 0xF6);
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, x)));
        assertEquals(30, q.encodedBytes("w", s));
        assertArrayEquals(new float[] {0, 2, 4, 15, -8, -8, -8, -8, -3, -1.5f, 0, 4.5f}, decode(q, want, s));
    }

    @Test
    void oddRowLeavesTheLastHighNibbleZero() {
        // [0, 7.5, 15]: scale 1, q 0, 8 (7.5 ties to even), 15
        Quantizer q = quantizer(provider, Map.of("group-size", "3"));
        Shape s = Shape.of(3, 2);
        byte[] enc = encode(q, TensorView.ofFloats("o", s, new float[] {0f, 7.5f, 15f, 1f, 1f, 1f}));
        assertBytes(bytes(f32(1f), f32(0f), 0x80, 0x0F, f32(0f), f32(1f), 0x00, 0x00), enc);
        assertEquals(20, q.encodedBytes("o", s));
        assertArrayEquals(new float[] {0, 8, 15, 1, 1, 1}, decode(q, enc, s));
    }

    @Test
    void allEqualGroupsAreExactForAnyValue() {
        float[] x = {0.1f, 0.1f, -3.7e-12f, -3.7e-12f, 6.02e23f, 6.02e23f};
        Quantizer q = quantizer(provider, Map.of("group-size", "2"));
        Shape s = Shape.of(6, 1);
        assertArrayEquals(x, decode(q, encode(q, TensorView.ofFloats("c", s, x)), s));
    }

    @Test
    void roundTripErrorIsAtMostHalfAScale() {
        int g = 32;
        float[] x = SeedTestSupport.gaussian(3, 128 * 8, 0.05f);
        Shape s = Shape.of(128, 8);
        Quantizer q = quantizer(provider, Map.of());
        float[] back = decode(q, encode(q, TensorView.ofFloats("r", s, x)), s);
        for (int i = 0; i < x.length; i++) {
            int from = i / g * g;
            float mn = Float.MAX_VALUE;
            float mx = -Float.MAX_VALUE;
            for (int j = from; j < from + g; j++) {
                mn = Math.min(mn, x[j]);
                mx = Math.max(mx, x[j]);
            }
            double bound = (mx - (double) mn) / 15 / 2 * (1 + 1e-5) + Math.ulp(x[i]);
            assertTrue(Math.abs(x[i] - back[i]) <= bound, "element " + i);
        }
    }

    @Test
    void fullFloatRangeStaysFinite() {
        float[] x = {-3e38f, 3e38f, 0f, -Float.MAX_VALUE, Float.MAX_VALUE, 1f};
        Quantizer q = quantizer(provider, Map.of("group-size", "6"));
        Shape s = Shape.of(6, 1);
        float[] back = decode(q, encode(q, TensorView.ofFloats("big", s, x)), s);
        double scale = 2.0 * Float.MAX_VALUE / 15;
        for (int i = 0; i < x.length; i++) {
            assertTrue(Float.isFinite(back[i]), "element " + i + " " + back[i]);
            assertTrue(Math.abs(x[i] - (double) back[i]) <= scale / 2 * (1 + 1e-5), "element " + i);
        }
        assertEquals(-Float.MAX_VALUE, back[3]);
    }

    @Test
    void rowRangesEncodeIntoTheirOwnSlices() {
        Quantizer q = quantizer(provider, Map.of("group-size", "8"));
        Shape s = Shape.of(16, 3);
        TensorView v = TensorView.ofFloats("rr", s, SeedTestSupport.gaussian(9, 48, 1f));
        byte[] whole = encode(q, v);
        int rb = 2 * 8 + 8;
        MemorySegment part = MemorySegment.ofArray(new byte[2 * rb]);
        q.quantize(v, 1, 2, null, part);
        assertArrayEquals(Arrays.copyOfRange(whole, rb, 3 * rb), part.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void errorsNameTensorAndField() {
        Quantizer q = quantizer(provider, Map.of());
        var shape = assertThrows(QuantException.class, () -> q.encodedBytes("blk.2.attn_q", Shape.of(48, 2)));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, shape.code());
        assertTrue(shape.getMessage().contains("'blk.2.attn_q'") && shape.getMessage().contains("48")
                && shape.getMessage().contains("32"), shape.getMessage());

        float[] x = new float[64];
        x[40] = Float.POSITIVE_INFINITY;
        var nf = assertThrows(QuantException.class, () -> encode(q, TensorView.ofFloats("t", Shape.of(32, 2), x)));
        assertEquals(ErrorCode.NON_FINITE_INPUT, nf.code());
        assertTrue(nf.getMessage().contains("'t'") && nf.getMessage().contains("row 1")
                && nf.getMessage().contains("column 8") && nf.getMessage().contains("element 40"), nf.getMessage());

        var opt = assertThrows(QuantException.class, () -> provider.parseOptions(Map.of("group-size", "0")));
        assertEquals(ErrorCode.INVALID_OPTION, opt.code());
        assertTrue(opt.getMessage().contains("group-size"), opt.getMessage());
        var num = assertThrows(QuantException.class, () -> provider.parseOptions(Map.of("group-size", "x")));
        assertTrue(num.getMessage().contains("group-size"), num.getMessage());
    }

    @Test
    void sizeIncludesScalesAndMins() {
        Quantizer q = quantizer(provider, Map.of());
        Shape s = Shape.of(4096, 2);
        // 128 groups x 8 bytes + 2048 bytes of codes per row: 6 bits per weight
        assertEquals(2 * (128 * 8 + 2048), q.encodedBytes("s", s));
        TensorView v = TensorView.ofFloats("s", s, SeedTestSupport.gaussian(2, 8192, 1f));
        SizeReport r = SizeReport.of(v, q.quantize(v, null, java.lang.foreign.Arena.ofAuto()));
        assertEquals(6.0, r.bitsPerWeight(), 1e-12);
        assertEquals(32.0 / 6.0, r.compressionRatio(), 1e-12);
    }
}
