package dev.quant4j.integer.seed;

import static dev.quant4j.integer.seed.SeedTestSupport.assertBytes;
import static dev.quant4j.integer.seed.SeedTestSupport.bytes;
import static dev.quant4j.integer.seed.SeedTestSupport.decode;
import static dev.quant4j.integer.seed.SeedTestSupport.encode;
import static dev.quant4j.integer.seed.SeedTestSupport.f32;
import static dev.quant4j.integer.seed.SeedTestSupport.quantizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class Int8QuantizerTest {
    private final Int8QuantizerProvider provider = new Int8QuantizerProvider();
    /** Two rows of four. Row 0: max |x| 127 (scale 1); row 1: max |x| 254 (scale 2). */
    private final float[] data = {127f, -63.5f, 0f, 10.2f, -254f, 127f, 1.5f, -0.5f};
    private final Shape shape = Shape.of(4, 2);
    private final TensorView view = TensorView.ofFloats("w", shape, data);

    private Quantizer perRow() {
        return quantizer(provider, Map.of());
    }

    @Test
    void descriptor() {
        assertEquals("int8", provider.descriptor().name());
        assertTrue(provider.descriptor().has(Capability.DEQUANTIZE));
        assertFalse(provider.descriptor().has(Capability.ROW_INDEPENDENT), "per-tensor is not row independent");
        assertEquals("int8/per-row", perRow().encoding().name());
    }

    @Test
    void perRowBytesByHand() {
        // row 0, scale 1: 127 -> 127, -63.5 -> -64 (tie to even), 0 -> 0, 10.2 -> 10
        // row 1, scale 2: -127, 63.5 -> 64, 0.75 -> 1, -0.25 -> 0
        byte[] want = bytes(f32(1f), 127, 0xC0, 0, 10, f32(2f), 0x81, 64, 1, 0);
        assertBytes(want, encode(perRow(), view));
        assertEquals(16, perRow().encodedBytes("w", shape));
        assertArrayEquals(new float[] {127, -64, 0, 10, -254, 128, 2, 0}, decode(perRow(), want, shape));
    }

    @Test
    void perTensorBytesByHand() {
        Quantizer q = quantizer(provider, Map.of("granularity", "per-tensor"));
        assertEquals("int8/per-tensor", q.encoding().name());
        // one scale 254 / 127 = 2: 63.5 -> 64, -31.75 -> -32, 0, 5.1 -> 5 | -127, 63.5 -> 64, 0.75 -> 1, -0.25 -> 0
        byte[] want = bytes(f32(2f), 64, 0xE0, 0, 5, 0x81, 64, 1, 0);
        assertBytes(want, encode(q, view));
        assertEquals(12, q.encodedBytes("w", shape));
        assertArrayEquals(new float[] {128, -64, 0, 10, -254, 128, 2, 0}, decode(q, want, shape));
    }

    @Test
    void perGroupBytesByHand() {
        Quantizer q = quantizer(provider, Map.of("granularity", "per-group", "group-size", "2"));
        assertEquals("int8/per-group-2", q.encoding().name());
        float s01 = 10.2f / 127f;
        float s11 = 1.5f / 127f;
        // group scales per row first, then the row's codes: [127, -63.5] s=1; [0, 10.2] s=10.2/127 -> 0, 127;
        // [-254, 127] s=2 -> -127, 64; [1.5, -0.5] s=1.5/127 -> 127, -42.33 -> -42
        byte[] want = bytes(f32(1f), f32(s01), 127, 0xC0, 0, 127, f32(2f), f32(s11), 0x81, 64, 127, 0xD6);
        assertBytes(want, encode(q, view));
        assertEquals(2 * (8 + 4), q.encodedBytes("w", shape));
        float[] back = decode(q, want, shape);
        assertArrayEquals(new float[] {127, -64, 0, 127 * s01, -254, 128, 127 * s11, -42 * s11}, back);
    }

    @Test
    void allZeroRowHasScaleZeroAndDecodesToZero() {
        TensorView z = TensorView.ofFloats("z", Shape.of(3, 1), new float[] {0f, -0f, 0f});
        byte[] enc = encode(perRow(), z);
        assertBytes(bytes(f32(0f), 0, 0, 0), enc);
        float[] back = decode(perRow(), enc, Shape.of(3, 1));
        assertArrayEquals(new float[] {0, 0, 0}, back);
    }

    @Test
    void neverWritesMinus128() {
        TensorView v = TensorView.ofFloats("m", Shape.of(2, 1), new float[] {-3.3f, 3.29f});
        byte[] enc = encode(perRow(), v);
        assertEquals((byte) -127, enc[4]);
    }

    @Test
    void rowRangesEncodeIntoTheirOwnSlices() {
        Quantizer q = quantizer(provider, Map.of("granularity", "per-group", "group-size", "2"));
        byte[] whole = encode(q, view);
        MemorySegment part = MemorySegment.ofArray(new byte[12]);
        q.quantize(view, 1, 1, null, part);
        assertArrayEquals(Arrays.copyOfRange(whole, 12, 24), part.toArray(ValueLayout.JAVA_BYTE));
        float[] row1 = new float[4];
        q.dequantize(part, shape, 1, 1, row1);
        assertArrayEquals(Arrays.copyOfRange(decode(q, whole, shape), 4, 8), row1);
    }

    @Test
    void threadsEncodingRowRangesIntoSlicesMatchOneCall() throws Exception {
        Quantizer q = quantizer(provider, Map.of("granularity", "per-group", "group-size", "8"));
        int n = 64;
        int rows = 40;
        Shape s = Shape.of(n, rows);
        TensorView v = TensorView.ofFloats("par", s, SeedTestSupport.gaussian(4, n * rows, 1f));
        byte[] whole = encode(q, v);
        long rb = whole.length / rows;
        MemorySegment out = MemorySegment.ofArray(new byte[whole.length]);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 4; t++) {
                long first = t * 10L;
                futures.add(pool.submit(() -> q.quantize(v, first, 10, null, out.asSlice(first * rb, 10 * rb))));
            }
            for (var f : futures) {
                f.get();
            }
        }
        assertArrayEquals(whole, out.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void perTensorRefusesRowRanges() {
        Quantizer q = quantizer(provider, Map.of("granularity", "per-tensor"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> q.quantize(view, 1, 1, null, MemorySegment.ofArray(new byte[8])));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("all 2 rows"), e.getMessage());
        assertTrue(((SymmetricByteQuantizer) perRow()).rowIndependent());
        assertFalse(((SymmetricByteQuantizer) q).rowIndependent());
    }

    @Test
    void refusesNonFiniteNamingTensorRowColumnAndElement() {
        float[] bad = data.clone();
        bad[6] = Float.NaN;
        for (String g : new String[] {"per-row", "per-tensor"}) {
            Quantizer q = quantizer(provider, Map.of("granularity", g));
            var e = assertThrows(QuantException.class, () -> encode(q, TensorView.ofFloats("blk.0.w", shape, bad)));
            assertEquals(ErrorCode.NON_FINITE_INPUT, e.code());
            assertTrue(e.getMessage().contains("'blk.0.w'") && e.getMessage().contains("row 1")
                    && e.getMessage().contains("column 2") && e.getMessage().contains("element 6"), e.getMessage());
        }
        float[] inf = data.clone();
        inf[0] = Float.NEGATIVE_INFINITY;
        var e = assertThrows(QuantException.class, () -> encode(perRow(), TensorView.ofFloats("x", shape, inf)));
        assertTrue(e.getMessage().contains("-Infinity") && e.getMessage().contains("element 0"), e.getMessage());
    }

    @Test
    void rowsThatAreNotWholeGroupsAreRefusedNamingTheTensor() {
        Quantizer q = quantizer(provider, Map.of("granularity", "per-group", "group-size", "3"));
        var e = assertThrows(QuantException.class, () -> q.encodedBytes("blk.1.ffn", shape));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e.code());
        assertTrue(e.getMessage().contains("'blk.1.ffn'") && e.getMessage().contains("row length 4")
                && e.getMessage().contains("group size 3"), e.getMessage());
    }

    @Test
    void invalidOptionsNameTheField() {
        assertInvalid(Map.of("granularity", "per-group"), "group-size");
        assertInvalid(Map.of("granularity", "per-group", "group-size", "0"), "group-size");
        assertInvalid(Map.of("group-size", "32"), "group-size");
        assertInvalid(Map.of("granularity", "diagonal"), "granularity");
        assertInvalid(Map.of("bits", "8"), "bits");
    }

    private void assertInvalid(Map<String, String> opts, String field) {
        var e = assertThrows(QuantException.class, () -> provider.parseOptions(opts));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void roundTripErrorIsAtMostHalfAScale() {
        int n = 64;
        int rows = 16;
        float[] x = SeedTestSupport.gaussian(7, n * rows, 0.02f);
        Shape s = Shape.of(n, rows);
        TensorView v = TensorView.ofFloats("g", s, x);
        for (Map<String, String> opts : java.util.List.of(Map.of("granularity", "per-row"),
                Map.of("granularity", "per-group", "group-size", "16"), Map.of("granularity", "per-tensor"))) {
            Quantizer q = quantizer(provider, opts);
            byte[] enc = encode(q, v);
            assertEquals(q.encodedBytes("g", s), enc.length);
            float[] back = decode(q, enc, s);
            int per = opts.containsKey("group-size") ? 16 : opts.get("granularity").equals("per-row") ? n : n * rows;
            for (int i = 0; i < x.length; i++) {
                int from = i / per * per;
                float amax = 0;
                for (int j = from; j < from + per; j++) {
                    amax = Math.max(amax, Math.abs(x[j]));
                }
                double bound = amax / 127.0 / 2 * (1 + 1e-5);
                assertTrue(Math.abs(x[i] - back[i]) <= bound, opts + " element " + i);
            }
        }
    }

    @Test
    void sizeReportFromTheRealEncoding() {
        Shape s = Shape.of(256, 4);
        TensorView v = TensorView.ofFloats("t", s, SeedTestSupport.gaussian(1, 1024, 1f));
        var qt = perRow().quantize(v, null, java.lang.foreign.Arena.ofAuto());
        SizeReport r = SizeReport.of(v, qt);
        assertEquals(4 * (4 + 256), r.encodedBytes());
        assertEquals(8.0 * 1040 / 1024, r.bitsPerWeight(), 1e-12);
        assertEquals(4096.0 / 1040, r.compressionRatio(), 1e-12);
        assertEquals("int8/per-row", r.encoding());
        assertEquals(qt.bitsPerWeight(), r.bitsPerWeight(), 1e-12);
    }
}
