package dev.quant4j.importance.imatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made imatrix files: semantics of both formats, MoE slices, and hostile input. */
class ImatrixFormatsTest {
    @TempDir
    Path dir;

    private final Calibrator calibrator = new ImatrixCalibratorProvider().create(new NoOptions());

    /** A legacy .dat: entries (name, ncall, values), then an optional trailer. */
    static byte[] dat(List<Object[]> entries, Integer lastChunk, String dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int32(out, entries.size());
        for (Object[] e : entries) {
            byte[] name = ((String) e[0]).getBytes(StandardCharsets.UTF_8);
            int32(out, name.length);
            out.writeBytes(name);
            int32(out, (Integer) e[1]);
            float[] v = (float[]) e[2];
            int32(out, v.length);
            for (float f : v) {
                int32(out, Float.floatToRawIntBits(f));
            }
        }
        if (lastChunk != null) {
            int32(out, lastChunk);
            byte[] d = dataset.getBytes(StandardCharsets.UTF_8);
            int32(out, d.length);
            out.writeBytes(d);
        }
        return out.toByteArray();
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private CalibrationStats importDat(byte[] bytes) throws IOException {
        Path f = dir.resolve("x.dat");
        Files.write(f, bytes);
        return calibrator.importFile(f, p -> {
            throw new AssertionError("not GGUF");
        });
    }

    @Test
    void legacyValuesAreDividedByNcall() throws IOException {
        CalibrationStats s = importDat(dat(List.of(
                new Object[] {"blk.0.ffn_up.weight", 4, new float[] {8f, 2f, 1f}},
                new Object[] {"blk.0.ffn_down.weight", 0, new float[] {5f}}), 7, "wiki.txt"));
        assertArrayEquals(new float[] {2f, 0.5f, 0.25f}, s.forTensor("blk.0.ffn_up.weight").orElseThrow().slice(0));
        assertArrayEquals(new float[] {5f}, s.forTensor("blk.0.ffn_down.weight").orElseThrow().slice(0),
                "ncall 0: values as stored");
        assertEquals(List.of("wiki.txt"), s.datasets());
        assertEquals(7, s.chunkCount());
        CalibrationStats bare = importDat(dat(List.<Object[]>of(new Object[] {"a", 1, new float[] {3f}}), null, ""));
        assertEquals(List.of(), bare.datasets());
        assertEquals(0, bare.chunkCount());
    }

    @Test
    void everyTruncationOfALegacyFileIsReportedWithItsOffset() throws IOException {
        byte[] full = dat(List.of(new Object[] {"blk.0.attn_q.weight", 2, new float[] {1f, 2f, 3f}},
                new Object[] {"blk.0.attn_k.weight", 2, new float[] {4f}}), 2, "d.txt");
        importDat(full);
        int entriesEnd = full.length - 4 - 4 - "d.txt".length();
        for (int n = 0; n < full.length; n++) {
            if (n == entriesEnd || n == entriesEnd + 4) {
                continue; // the trailer is optional, and so is its dataset name (as upstream reads it)
            }
            byte[] cut = Arrays.copyOf(full, n);
            CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> importDat(cut),
                    "truncated to " + n + " bytes");
            assertTrue(e.getMessage().contains("x.dat") && e.getMessage().contains("corrupt at byte"),
                    e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= n, "offset " + e.offset() + " within " + n);
        }
    }

    @Test
    void hostileCountsAndLengthsAreRefusedBeforeAllocating() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Integer.MAX_VALUE).putInt(4).putInt(0).putInt(0);
        CorruptFormatException many = assertThrows(CorruptFormatException.class, () -> importDat(b.array()));
        assertTrue(many.getMessage().contains("n_entries"), many.getMessage());

        byte[] hugeValues = dat(List.<Object[]>of(new Object[] {"t", 1, new float[] {1f}}), null, "");
        ByteBuffer.wrap(hugeValues).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 4 + 1 + 4, Integer.MAX_VALUE);
        CorruptFormatException big = assertThrows(CorruptFormatException.class, () -> importDat(hugeValues));
        assertEquals(13, big.offset());
        assertTrue(big.getMessage().contains("nval"), big.getMessage());

        byte[] negativeName = dat(List.<Object[]>of(new Object[] {"t", 1, new float[] {1f}}), null, "");
        ByteBuffer.wrap(negativeName).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -5);
        assertThrows(CorruptFormatException.class, () -> importDat(negativeName));

        byte[] zeroValues = dat(List.<Object[]>of(new Object[] {"t", 1, new float[] {}}), null, "");
        assertThrows(CorruptFormatException.class, () -> importDat(zeroValues));
        assertThrows(CorruptFormatException.class, () -> importDat(new byte[0]));
        assertThrows(CorruptFormatException.class, () -> importDat(dat(List.of(), null, "")));
        assertThrows(CorruptFormatException.class, () -> importDat(dat(List.of(
                new Object[] {"t", 1, new float[] {1f}}, new Object[] {"t", 1, new float[] {1f}}), null, "")));
        byte[] complete = dat(List.<Object[]>of(new Object[] {"t", 1, new float[] {1f}}), 1, "d");
        byte[] trailing = Arrays.copyOf(complete, complete.length + 2);
        assertThrows(CorruptFormatException.class, () -> importDat(trailing));
    }

    private CalibrationStats importGguf(FakeReader reader) throws IOException {
        Path f = dir.resolve("x.gguf");
        Files.write(f, "GGUF\3\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        return calibrator.importFile(f, p -> reader);
    }

    @Test
    void ggufExpertsGetTheirOwnSlicesAndUnusedExpertsAreNeutral() throws IOException {
        Path p = dir.resolve("x.gguf");
        FakeReader r = new FakeReader(p, FakeReader.imatrixMetadata())
                .add("blk.0.ffn_up_exps.weight.in_sum2", new float[] {6f, 9f, 1f, 2f, 4f, 8f}, 2, 3)
                .add("blk.0.ffn_up_exps.weight.counts", new float[] {3f, 0f, 2.5f}, 1, 3)
                .add("blk.0.attn_q.weight.in_sum2", new float[] {10f, 20f}, 2)
                .add("blk.0.attn_q.weight.counts", new float[] {4f}, 1)
                .add("blk.0.attn_q.weight.in_sum", new float[] {1f, 1f}, 2);
        CalibrationStats s = importGguf(r);
        TensorActivationStats e = s.forTensor("blk.0.ffn_up_exps.weight").orElseThrow();
        assertEquals(2, e.columns());
        assertEquals(3, e.slices());
        assertArrayEquals(new float[] {2f, 3f}, e.slice(0));
        assertArrayEquals(new float[] {1f, 1f}, e.slice(1), "an expert never routed to weighs 1");
        assertArrayEquals(new float[] {4f / 3f, 8f / 3f}, e.slice(2), "count 2.5 rounds half away from zero to 3");
        assertArrayEquals(new float[] {2.5f, 5f}, s.forTensor("blk.0.attn_q.weight").orElseThrow().slice(0));
        assertEquals(2, s.tensors().size(), "other tensors (in_sum) are ignored");
        assertEquals(List.of("calib.txt"), s.datasets());
        assertEquals(3, s.chunkCount());
        assertEquals(p.toString(), s.source());
    }

    @Test
    void malformedGgufImatrixIsNamed() {
        Path p = dir.resolve("x.gguf");
        CorruptFormatException noMeta = assertThrows(CorruptFormatException.class,
                () -> importGguf(new FakeReader(p, Metadata.empty())));
        assertTrue(noMeta.getMessage().contains("missing imatrix metadata"), noMeta.getMessage());
        CorruptFormatException unpaired = assertThrows(CorruptFormatException.class, () -> importGguf(
                new FakeReader(p, FakeReader.imatrixMetadata()).add("a.in_sum2", new float[] {1f}, 1)));
        assertTrue(unpaired.getMessage().contains("a.counts"), unpaired.getMessage());
        assertThrows(CorruptFormatException.class, () -> importGguf(new FakeReader(p, FakeReader.imatrixMetadata())
                .add("a.counts", new float[] {1f}, 1)));
        assertThrows(CorruptFormatException.class, () -> importGguf(new FakeReader(p, FakeReader.imatrixMetadata())
                .add("a.in_sum2", new float[] {1f, 2f, 3f}, 3).add("a.counts", new float[] {1f, 1f}, 1, 2)));
        CorruptFormatException f16 = assertThrows(CorruptFormatException.class, () -> importGguf(
                new FakeReader(p, FakeReader.imatrixMetadata()).addF16("a.in_sum2", 4).add("a.counts",
                        new float[] {1f}, 1)));
        assertTrue(f16.getMessage().contains("a.in_sum2") && f16.getMessage().contains("F32"), f16.getMessage());
    }

    @Test
    void observedActivationsGiveMeanSquares() {
        calibrator.observe("w", TensorView.ofFloats("x", Shape.of(2, 2), new float[] {1f, 2f, 3f, 4f}));
        calibrator.observe("w", TensorView.ofFloats("x", Shape.of(2, 1), new float[] {-2f, 0f}));
        calibrator.observe("a", TensorView.ofFloats("x", Shape.of(1, 1), new float[] {3f}));
        CalibrationStats s = calibrator.finish();
        assertEquals(List.of("a", "w"), List.copyOf(s.tensors().keySet()), "byte-wise name order");
        TensorActivationStats w = s.forTensor("w").orElseThrow();
        assertEquals(3, w.count());
        assertArrayEquals(new float[] {(1f + 9f + 4f) / 3f, (4f + 16f) / 3f}, w.slice(0));
        QuantException shape = assertThrows(QuantException.class,
                () -> calibrator.observe("w", TensorView.ofFloats("x", Shape.of(3), new float[] {1f, 1f, 1f})));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, shape.code());
        QuantException nan = assertThrows(QuantException.class,
                () -> calibrator.observe("a", TensorView.ofFloats("x", Shape.of(1, 2), new float[] {1f, Float.NaN})));
        assertEquals(ErrorCode.NON_FINITE_INPUT, nan.code());
        assertTrue(nan.getMessage().contains("row 2, column 0"), nan.getMessage());
    }

    @Test
    void discoverableThroughTheRegistry() {
        QuantRegistry r = QuantRegistry.load(getClass().getClassLoader());
        assertEquals(ImatrixCalibratorProvider.class, r.calibrator("imatrix").getClass());
    }
}
