package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's contract: layout, temp files, commit and clean-up. */
class WriterTest {
    @TempDir
    Path tmp;

    static ModelLayout layout(List<ModelLayout.TensorSlot> slots) {
        Metadata md = new Metadata(List.of(
                new Metadata.Entry("general.architecture", new MetaValue.Text("llama")),
                new Metadata.Entry("u8", new MetaValue.Int(MetaType.UINT8, 255)),
                new Metadata.Entry("i8", new MetaValue.Int(MetaType.INT8, -128)),
                new Metadata.Entry("u16", new MetaValue.Int(MetaType.UINT16, 65535)),
                new Metadata.Entry("i16", new MetaValue.Int(MetaType.INT16, -32768)),
                new Metadata.Entry("u32", new MetaValue.Int(MetaType.UINT32, 0xFFFF_FFFFL)),
                new Metadata.Entry("i32", new MetaValue.Int(MetaType.INT32, Integer.MIN_VALUE)),
                new Metadata.Entry("u64", new MetaValue.Int(MetaType.UINT64, -1)),
                new Metadata.Entry("i64", new MetaValue.Int(MetaType.INT64, Long.MIN_VALUE)),
                new Metadata.Entry("f32", new MetaValue.Real(MetaType.FLOAT32, 1e-5f)),
                new Metadata.Entry("f64", new MetaValue.Real(MetaType.FLOAT64, Math.PI)),
                new Metadata.Entry("bool", new MetaValue.Bool(true)),
                new Metadata.Entry("strings", new MetaValue.Array(MetaType.STRING,
                        List.of(new MetaValue.Text("ä€𝄞"), new MetaValue.Text("")))),
                new Metadata.Entry("nested", new MetaValue.Array(MetaType.ARRAY, List.of(
                        new MetaValue.Array(MetaType.INT32, List.of(MetaValue.i32(1), MetaValue.i32(-2))),
                        new MetaValue.Array(MetaType.BOOL, List.of()))))));
        return new ModelLayout(md, slots);
    }

    static ModelLayout.TensorSlot slot(String name, DType type, long... ne) {
        Shape s = Shape.of(ne);
        return new ModelLayout.TensorSlot(name, type, s, TensorInfo.byteSize(type, s));
    }

    private static final List<ModelLayout.TensorSlot> MIXED = List.of(
            slot("a", DType.F32, 3, 5), slot("b", DType.Q4_K, 512, 2), slot("c", DType.F16, 7),
            slot("d", DType.Q8_0, 64, 3, 2), slot("e", DType.IQ4_NL, 32, 1, 1, 3));

    @Test
    void tensorsFilledInParallelInAnyOrderReadBackWithEveryMetadataType() throws Exception {
        ModelLayout layout = layout(MIXED);
        Path out = tmp.resolve("p.gguf");
        try (ModelWriter w = GgufFiles.FORMAT.create(out, layout, WriteOptions.SINGLE_FILE)) {
            assertTrue(Files.exists(tmp.resolve("p.gguf.tmp")));
            assertFalse(Files.exists(out));
            IntStream.range(0, MIXED.size()).map(i -> MIXED.size() - 1 - i).parallel().forEach(i -> {
                MemorySegment seg = data(w, i);
                assertEquals(MIXED.get(i).byteSize(), seg.byteSize());
                for (long b = 0; b < seg.byteSize(); b++) {
                    seg.set(ValueLayout.JAVA_BYTE, b, (byte) (i * 31 + b));
                }
            });
            w.commit();
            assertEquals(List.of(out), w.files());
        }
        assertFalse(Files.exists(tmp.resolve("p.gguf.tmp")));
        try (ModelReader r = GgufFiles.FORMAT.open(out)) {
            assertEquals(layout, r.layout());
            assertEquals(32, r.container().alignment());
            for (int i = 0; i < MIXED.size(); i++) {
                TensorInfo t = r.tensors().get(i);
                assertEquals(0, (r.container().dataOffset() + t.offset()) % 32);
                byte[] got = r.view(t).data().toArray(ValueLayout.JAVA_BYTE);
                for (int b = 0; b < got.length; b++) {
                    assertEquals((byte) (i * 31 + b), got[b]);
                }
            }
        }
        // padding after each tensor, the last one included, is zeros and the file ends there
        byte[] all = Files.readAllBytes(out);
        try (ModelReader r = GgufFiles.FORMAT.open(out)) {
            TensorInfo last = r.tensors().getLast();
            long end = r.container().dataOffset() + last.offset() + last.byteSize();
            assertEquals(GgufConstants.alignUp(end, 32), all.length);
            for (long p = end; p < all.length; p++) {
                assertEquals(0, all[(int) p]);
            }
        }
    }

    @Test
    void nonDefaultAlignmentIsHonouredInEveryShard() throws Exception {
        ModelLayout base = layout(MIXED);
        ModelLayout layout = new ModelLayout(base.metadata().with("general.alignment",
                new MetaValue.Int(MetaType.UINT32, 256)), base.tensors());
        List<Path> files;
        try (ModelWriter w = GgufFiles.FORMAT.create(tmp.resolve("al.gguf"), layout, new WriteOptions(0, 2))) {
            w.commit();
            files = w.files();
        }
        assertEquals(3, files.size());
        try (ModelReader r = GgufFiles.FORMAT.open(files.getFirst())) {
            assertEquals(256, r.container().alignment());
            assertEquals(0, r.container().dataOffset() % 256);
            assertEquals(layout, r.layout());
        }
        for (Path f : files.subList(1, 3)) {
            GgufHeader h = HeaderReader.read(f, MemorySegment.ofArray(Files.readAllBytes(f)));
            assertEquals(256, h.alignment());
            assertEquals(0, h.dataOffset() % 256);
        }
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws Exception {
        Path out = tmp.resolve("c.gguf");
        try (ModelWriter w = GgufFiles.FORMAT.create(out, layout(MIXED), new WriteOptions(0, 2))) {
            assertEquals(3, w.files().size());
            w.tensorData(0).fill((byte) 1);
        }
        assertEmpty();
    }

    @Test
    void anExistingOutputIsReplacedOnlyOnCommit() throws Exception {
        Path out = tmp.resolve("e.gguf");
        Files.writeString(out, "old");
        ModelWriter abandoned = GgufFiles.FORMAT.create(out, layout(MIXED), WriteOptions.SINGLE_FILE);
        assertEquals("old", Files.readString(out));
        abandoned.close();
        assertEquals("old", Files.readString(out));
        try (ModelWriter w = GgufFiles.FORMAT.create(out, layout(MIXED), WriteOptions.SINGLE_FILE)) {
            w.commit();
            assertThrows(IllegalStateException.class, () -> w.tensorData(0));
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertTrue(GgufFiles.FORMAT.canRead(out));
    }

    @Test
    void aFailingCreateOrCommitLeavesNothing() throws Exception {
        // the temp file cannot be created: its name is taken by a directory
        Path out = tmp.resolve("f.gguf");
        Files.createDirectory(tmp.resolve("f.gguf.tmp"));
        assertThrows(java.io.IOException.class, () -> GgufFiles.FORMAT.create(out, layout(MIXED), WriteOptions.SINGLE_FILE));
        Files.delete(tmp.resolve("f.gguf.tmp"));
        assertEmpty();
        // the second shard's final name is a non-empty directory: the rename fails after the first succeeded
        Path blocked = tmp.resolve("g-00002-of-00003.gguf");
        Files.createDirectories(blocked.resolve("x"));
        try (ModelWriter w = GgufFiles.FORMAT.create(tmp.resolve("g.gguf"), layout(MIXED), new WriteOptions(0, 2))) {
            assertThrows(java.io.IOException.class, w::commit);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(blocked), s.toList());
        }
    }

    @Test
    void invalidLayoutsAreRefusedBeforeAnyFileExists() throws Exception {
        List<ModelLayout> bad = new ArrayList<>();
        bad.add(layout(List.of(slot("x", DType.F32, 4), slot("x", DType.F32, 4))));
        bad.add(layout(List.of(new ModelLayout.TensorSlot("y", DType.F32, Shape.of(4), 15))));
        bad.add(layout(List.of(slot("n".repeat(64), DType.F32, 4))));
        bad.add(new ModelLayout(new Metadata(List.of(new Metadata.Entry("k", MetaValue.text("a")),
                new Metadata.Entry("k", MetaValue.text("b")))), List.of()));
        bad.add(new ModelLayout(Metadata.empty().with("general.alignment", MetaValue.u32(48)), List.of()));
        bad.add(new ModelLayout(Metadata.empty().with("general.alignment", MetaValue.i32(32)), List.of()));
        bad.add(new ModelLayout(Metadata.empty().with("u8", new MetaValue.Int(MetaType.UINT8, 256)), List.of()));
        bad.add(new ModelLayout(Metadata.empty().with("f", new MetaValue.Real(MetaType.FLOAT32, 0.1)), List.of()));
        bad.add(new ModelLayout(Metadata.empty().with("split.count", new MetaValue.Int(MetaType.UINT16, 3)), List.of()));
        for (ModelLayout l : bad) {
            QuantException e = assertThrows(QuantException.class,
                    () -> GgufFiles.FORMAT.create(tmp.resolve("v.gguf"), l, WriteOptions.SINGLE_FILE), l::toString);
            assertEquals(ErrorCode.INVALID_PLAN, e.code(), e.getMessage());
        }
        QuantException e = assertThrows(QuantException.class, () -> GgufFiles.FORMAT.create(tmp.resolve("v.gguf"),
                layout(List.of(new ModelLayout.TensorSlot("z", DType.Q4_K, Shape.of(100), 0))), WriteOptions.SINGLE_FILE));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e.code());
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("256"), e.getMessage());
        assertEmpty();
    }

    @Test
    void aModelWithoutTensorsEndsRightAfterItsMetadata() throws Exception {
        Path out = tmp.resolve("vocab.gguf");
        ModelLayout l = layout(List.of());
        try (ModelWriter w = GgufFiles.FORMAT.create(out, l, WriteOptions.SINGLE_FILE)) {
            w.commit();
        }
        assertEquals(HeaderEncoder.size(l.metadata(), List.of()), Files.size(out));
        try (ModelReader r = GgufFiles.FORMAT.open(out)) {
            assertEquals(l, r.layout());
        }
    }

    @Test
    void canReadSniffsTheMagicAndNeverThrows() throws Exception {
        Path good = tmp.resolve("g.gguf");
        Files.write(good, new byte[] {'G', 'G', 'U', 'F', 9, 9});
        Path bad = tmp.resolve("b.gguf");
        Files.write(bad, new byte[] {'G', 'G', 'U'});
        assertTrue(GgufFiles.FORMAT.canRead(good));
        assertFalse(GgufFiles.FORMAT.canRead(bad));
        assertFalse(GgufFiles.FORMAT.canRead(tmp));
        assertFalse(GgufFiles.FORMAT.canRead(tmp.resolve("absent")));
        assertFalse(GgufFiles.FORMAT.canRead(null));
    }

    @Test
    void readBytesAreTheMappedFile() throws Exception {
        byte[] expected;
        try (ModelReader r = GgufFiles.FORMAT.open(GgufFiles.stories())) {
            TensorInfo t = r.tensors().get(3);
            expected = r.view(t).data().toArray(ValueLayout.JAVA_BYTE);
            byte[] file = Files.readAllBytes(GgufFiles.stories());
            long at = r.container().dataOffset() + t.offset();
            assertArrayEquals(java.util.Arrays.copyOfRange(file, (int) at, (int) at + expected.length), expected);
            assertTrue(r.view(t).data().isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> r.view(new TensorInfo(t.name(), t.type(), t.shape(),
                    t.offset() + 32, t.byteSize())));
        }
    }

    private static MemorySegment data(ModelWriter w, int i) {
        try {
            return w.tensorData(i);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertEmpty() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList());
        }
    }
}
