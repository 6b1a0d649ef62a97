package dev.quant4j.integer.seed;

import static dev.quant4j.integer.seed.SeedTestSupport.assertBytes;
import static dev.quant4j.integer.seed.SeedTestSupport.bytes;
import static dev.quant4j.integer.seed.SeedTestSupport.decode;
import static dev.quant4j.integer.seed.SeedTestSupport.encode;
import static dev.quant4j.integer.seed.SeedTestSupport.f32;
import static dev.quant4j.integer.seed.SeedTestSupport.gaussian;
import static dev.quant4j.integer.seed.SeedTestSupport.quantizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed quantizers with {@code layout=compressed-tensors}: bytes worked out by hand from compressed-tensors'
 * rules (scale absmax/127.5 for int8, /7.5 for int4, /448 for FP8, asymmetric (max−min)/15 with zero point
 * round(−8 − min/scale); codes rounded half to even; int4 packed 8 per little-endian int32 word as code + 8, value
 * j at bits 4·(j mod 8)), and the row layout the compressed-tensors writer cuts into tensors.
 */
class CompressedTensorsLayoutTest {
    private static final Map<String, String> CT = Map.of("layout", "compressed-tensors");

    private static Map<String, String> ct(String... kv) {
        Map<String, String> m = new java.util.HashMap<>(CT);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void int8ChannelByHand() {
        // row 0: absmax 127.5 -> scale 1: 127.5 clamps to 127, -127.5 ties to -128, 3.25 -> 3, -0.5 -> 0, 2.5 -> 2
        // row 1: all zero -> scale is float32's eps (2^-23), codes 0
        Quantizer q = quantizer(new Int8QuantizerProvider(), CT);
        Shape s = Shape.of(5, 2);
        float[] x = {127.5f, -127.5f, 3.25f, -0.5f, 2.5f, 0, 0, 0, 0, 0};
        byte[] want = bytes(127, 0x80, 3, 0, 2, f32(1f), 0, 0, 0, 0, 0, f32(0x1p-23f));
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, x)));
        assertArrayEquals(new float[] {127, -128, 3, 0, 2, 0, 0, 0, 0, 0}, decode(q, want, s));
        assertEquals("ct/int8-channel-sym", q.encoding().name());
        assertEquals(0, q.scaleGroup(), "per-channel: no row-local group for GPTQ");
    }

    @Test
    void int4SymmetricGroupsPackedLsbFirst() {
        // group 1: absmax 7.5 -> scale 1: codes 7 (7.5 clamped), -8 (-7.5 ties even), 2, -2, 0, 3, 7, -1
        //          stored +8: F 0 A 6 8 B F 7 -> word 0x7FB86A0F
        // group 2: absmax 15 -> scale 2: 15/2 = 7.5 -> 7, 0.5 -> 0, -2, 0 ... -> stored F 8 6 8 8 8 8 8 = 0x8888868F
        Quantizer q = quantizer(new Int4QuantizerProvider(), ct("group-size", "8", "symmetric", "true"));
        Shape s = Shape.of(16, 1);
        float[] x = {7.5f, -7.5f, 1.5f, -2.5f, 0, 3, 6.9f, -1, 15, 1, -4, 0, 0, 0, 0, 0};
        byte[] want = bytes(0x0F, 0x6A, 0xB8, 0x7F, 0x8F, 0x86, 0x88, 0x88, f32(1f), f32(2f));
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, x)));
        assertArrayEquals(new float[] {7, -8, 2, -2, 0, 3, 7, -1, 14, 0, -4, 0, 0, 0, 0, 0}, decode(q, want, s));
        assertEquals(8, q.scaleGroup(), "GPTQ fits one group at a time");
    }

    @Test
    void int4AsymmetricZeroPointsByHand() {
        // group [-5, 0, 5, 10]: scale 15/15 = 1, zp round(-8 + 5) = -3, codes -8 -3 2 7 (stored 0 5 A F)
        // group [0, 0, 0, 30]:  scale 30/15 = 2, zp -8, codes -8 -8 -8 7 (stored 0 0 0 F) -> word 0xF000FA50
        Quantizer q = quantizer(new Int4QuantizerProvider(), ct("group-size", "4"));
        Shape s = Shape.of(8, 1);
        float[] x = {-5, 0, 5, 10, 0, 0, 0, 30};
        byte[] want = bytes(0x50, 0xFA, 0x00, 0xF0, f32(1f), f32(2f), 0xFD, 0xF8);
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, x)));
        assertArrayEquals(x, decode(q, want, s));
        assertEquals("ct/int4-g4-asym", q.encoding().name());
    }

    @Test
    void fp8ChannelByHand() {
        // absmax 448 -> scale 1; E4M3FN: 448 = 0x7E, -1 = 0xB8, 0.5 = 0x30, 3 = 0x44
        Quantizer q = quantizer(new Fp8E4M3QuantizerProvider(), CT);
        Shape s = Shape.of(4, 1);
        byte[] want = bytes(0x7E, 0xB8, 0x30, 0x44, f32(1f));
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, new float[] {448, -1, 0.5f, 3})));
        assertArrayEquals(new float[] {448, -1, 0.5f, 3}, decode(q, want, s));
    }

    @Test
    void fp8BlocksShareScalesAcrossRows() {
        // 3 × 3 in 2 × 2 tiles: (0,0) absmax 448 -> 1; (0,1) 4 -> 4/448; (1,0) 2 -> 2/448; (1,1) 224 -> 0.5;
        // codes row after row (every value maps to 448, 224 or 1, 0), then the 2 × 2 scale grid
        Quantizer q = quantizer(new Fp8E4M3QuantizerProvider(), ct("block-size", "2"));
        Shape s = Shape.of(3, 3);
        float[] x = {448, 1, 2, -448, 0, 4, 1, 2, 224};
        byte[] want = bytes(0x7E, 0x38, 0x76, 0xFE, 0x00, 0x7E, 0x76, 0x7E, 0x7E,
                f32(1f), f32(4f / 448f), f32(2f / 448f), f32(0.5f));
        assertBytes(want, encode(q, TensorView.ofFloats("w", s, x)));
        float[] back = decode(q, want, s);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], back[i], Math.abs(x[i]) * 0x1p-4f, "value " + i);
        }
        byte[] out = new byte[(int) q.encodedBytes("w", s)];
        assertThrows(IllegalArgumentException.class, () -> q.quantize(TensorView.ofFloats("w", s, x), 1, 2, null,
                java.lang.foreign.MemorySegment.ofArray(out)), "rows share scales: whole tensor only");
    }

    @Test
    void scaleDtypeRoundsTheScaleBeforeTheCodes() {
        // absmax 1 -> 1/127.5 = 2^-7 · 1.00392..., bf16 keeps 7 fraction bits: 2^-7 · (1 + 1/128) = 0x3C01;
        // 1 / that = 127.008 -> 127, and -127 (not -128, as the unrounded scale would give)
        Quantizer q = quantizer(new Int8QuantizerProvider(), ct("scale-dtype", "bf16"));
        Shape s = Shape.of(2, 1);
        byte[] enc = encode(q, TensorView.ofFloats("w", s, new float[] {1f, -1f}));
        assertBytes(bytes(127, 0x81, 0x01, 0x3C), enc);
        assertEquals("ct/int8-channel-sym/bf16", q.encoding().name());
    }

    @Test
    void roundTripWithinHalfAStepOnRandomRows() {
        Shape s = Shape.of(256, 8);
        float[] x = gaussian(7, 256 * 8, 0.05f);
        for (Map<String, String> o : java.util.List.of(ct("group-size", "128", "symmetric", "true"),
                ct("group-size", "128"))) {
            Quantizer q = quantizer(new Int4QuantizerProvider(), o);
            float[] back = decode(q, encode(q, TensorView.ofFloats("w", s, x)), s);
            for (int r = 0; r < 8; r++) {
                for (int g = 0; g < 2; g++) {
                    float lo = 0;
                    float hi = 0;
                    for (int i = 0; i < 128; i++) {
                        lo = Math.min(lo, x[r * 256 + g * 128 + i]);
                        hi = Math.max(hi, x[r * 256 + g * 128 + i]);
                    }
                    float step = o.containsKey("symmetric") ? Math.max(-lo, hi) / 7.5f : (hi - lo) / 15f;
                    for (int i = 0; i < 128; i++) {
                        int k = r * 256 + g * 128 + i;
                        // symmetric: the top code is 7, so +absmax lands 1/2 step beyond the last level
                        assertEquals(x[k], back[k], step * (o.containsKey("symmetric") ? 1.0001f : 0.5001f), o + " " + k);
                    }
                }
            }
        }
    }

    @Test
    void quant4jLayoutsAreUnchangedByDefault() {
        assertEquals("int8/per-row", quantizer(new Int8QuantizerProvider(), Map.of()).encoding().name());
        assertEquals("int4/g32", quantizer(new Int4QuantizerProvider(), Map.of()).encoding().name());
    }

    @Test
    void combinationsThatCannotWorkAreRefusedNamingTheOption() {
        assertRefused(new Int8QuantizerProvider(), ct("granularity", "per-group", "group-size", "32"), "per-row");
        assertRefused(new Int4QuantizerProvider(), Map.of("symmetric", "true"), "symmetric");
        assertRefused(new Int8QuantizerProvider(), Map.of("scale-dtype", "f16"), "scale-dtype");
        assertRefused(new Fp8E4M3QuantizerProvider(), Map.of("block-size", "128"), "block-size");
        QuantException e = assertThrows(QuantException.class, () -> quantizer(new Fp8E5M2QuantizerProvider(), CT));
        assertTrue(e.getMessage().contains("float8_e4m3fn"), e.getMessage());
    }

    private static <O extends Record> void assertRefused(dev.quant4j.api.spi.QuantizerProvider<O> p,
                                                         Map<String, String> o, String word) {
        QuantException e = assertThrows(QuantException.class, () -> quantizer(p, o));
        assertTrue(e.getMessage().contains(word), e.getMessage());
    }
}
