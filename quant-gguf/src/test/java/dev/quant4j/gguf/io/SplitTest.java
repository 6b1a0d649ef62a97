package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Split output as llama-gguf-split writes it, read back as one model. */
class SplitTest {
    @TempDir
    Path tmp;

    @Test
    void splitByTensorCountReadsBackAsTheOriginalAndMergesByteIdentically() throws Exception {
        Path original = GgufFiles.stories();
        List<Path> shards;
        try (ModelReader r = GgufFiles.FORMAT.open(original)) {
            shards = GgufFiles.copy(r, tmp.resolve("model.gguf"), new WriteOptions(0, 10));
        }
        assertEquals(List.of("model-00001-of-00005.gguf", "model-00002-of-00005.gguf", "model-00003-of-00005.gguf",
                "model-00004-of-00005.gguf", "model-00005-of-00005.gguf"),
                shards.stream().map(p -> p.getFileName().toString()).toList());
        try (var files = Files.list(tmp)) {
            assertEquals(5, files.count(), "no temp files left");
        }
        try (ModelReader a = GgufFiles.FORMAT.open(original); ModelReader b = GgufFiles.FORMAT.open(shards.getFirst())) {
            assertEquals(a.metadata(), b.metadata());
            assertEquals(shards, b.container().files());
            assertEquals(names(a.tensors()), names(b.tensors()));
            for (int i = 0; i < a.tensors().size(); i++) {
                TensorInfo ta = a.tensors().get(i);
                TensorInfo tb = b.tensors().get(i);
                assertEquals(ta.type(), tb.type());
                assertEquals(ta.shape(), tb.shape());
                assertEquals(-1, a.view(ta).data().mismatch(b.view(tb).data()), ta.name());
                // where each reader says the bytes lie in its files, they are the view's bytes
                assertEquals(-1, a.view(ta).data().mismatch(regionBytes(a.fileRegion(ta).orElseThrow())), ta.name());
                assertEquals(-1, b.view(tb).data().mismatch(regionBytes(b.fileRegion(tb).orElseThrow())), tb.name());
                assertEquals(shards.get(b.shardOf(tb.name())), b.fileRegion(tb).orElseThrow().file());
            }
            // merging the shards again gives back the original file, byte for byte
            Path merged = tmp.resolve("merged.gguf");
            GgufFiles.copy(b, merged, WriteOptions.SINGLE_FILE);
            assertEquals(-1, Files.mismatch(original, merged));
        }
    }

    @Test
    void shardsCarryTheSplitKeysLikeGgufSplit() throws Exception {
        List<Path> shards;
        Metadata original;
        try (ModelReader r = GgufFiles.FORMAT.open(GgufFiles.stories())) {
            original = r.metadata();
            shards = GgufFiles.copy(r, tmp.resolve("m.gguf"), new WriteOptions(0, 20));
        }
        assertEquals(3, shards.size());
        for (int s = 0; s < 3; s++) {
            try (ModelReader shard = GgufFiles.FORMAT.open(shards.get(s))) {
                Metadata md = shard.metadata();
                if (s == 0) {
                    // the first shard opens the whole model; the keys are visible in the file itself
                    assertEquals(original, md);
                    assertEquals(48, shard.tensors().size());
                    continue;
                }
                // later shards open alone, as the files they are: split keys only, in llama.cpp's order and types
                assertEquals(List.of(
                        new Metadata.Entry("split.no", new MetaValue.Int(MetaType.UINT16, s)),
                        new Metadata.Entry("split.count", new MetaValue.Int(MetaType.UINT16, 3)),
                        new Metadata.Entry("split.tensors.count", new MetaValue.Int(MetaType.INT32, 48))),
                        md.entries());
                assertEquals(s == 2 ? 8 : 20, shard.tensors().size());
                assertEquals(0, shard.tensors().getFirst().offset());
            }
        }
        // the first file, parsed alone, has the model's keys followed by the split keys
        GgufHeader h = header(shards.getFirst());
        List<Metadata.Entry> e = h.metadata().entries();
        assertEquals(original.entries(), e.subList(0, e.size() - 3));
        assertEquals(List.of("split.no", "split.count", "split.tensors.count"),
                e.subList(e.size() - 3, e.size()).stream().map(Metadata.Entry::key).toList());
        assertEquals(20, h.tensors().size());
    }

    @Test
    void splitByBytesKeepsEveryShardUnderTheLimit() throws Exception {
        long limit = 200_000;
        List<Path> shards;
        try (ModelReader r = GgufFiles.FORMAT.open(GgufFiles.stories())) {
            shards = GgufFiles.copy(r, tmp.resolve("b.gguf"), new WriteOptions(limit, 0));
        }
        assertTrue(shards.size() > 1);
        long total = 0;
        for (Path p : shards) {
            GgufHeader h = header(p);
            long data = h.fileSize() - h.dataOffset();
            assertTrue(data <= limit, p + " holds " + data + " bytes of tensors");
            total += h.tensors().size();
        }
        assertEquals(48, total);
        try (ModelReader b = GgufFiles.FORMAT.open(shards.getFirst())) {
            assertEquals(48, b.tensors().size());
        }
    }

    @Test
    void aMissingOrForeignShardIsReportedOnTheFirstFile() throws Exception {
        List<Path> shards;
        try (ModelReader r = GgufFiles.FORMAT.open(GgufFiles.stories())) {
            shards = GgufFiles.copy(r, tmp.resolve("x.gguf"), new WriteOptions(0, 20));
        }
        Path second = shards.get(1);
        Path aside = tmp.resolve("aside");
        Files.move(second, aside);
        var e = assertThrows(CorruptFormatException.class, () -> GgufFiles.FORMAT.open(shards.getFirst()));
        assertTrue(e.getMessage().contains("shard 2") && e.getMessage().contains("missing"), e.getMessage());
        // shard 3 put in the place of shard 2
        Files.copy(shards.get(2), second);
        e = assertThrows(CorruptFormatException.class, () -> GgufFiles.FORMAT.open(shards.getFirst()));
        assertTrue(e.getMessage().contains("split.no"), e.getMessage());
        // a first shard renamed away from the llama.cpp pattern
        Files.delete(second);
        Files.move(aside, second);
        Path renamed = tmp.resolve("renamed.gguf");
        Files.copy(shards.getFirst(), renamed);
        e = assertThrows(CorruptFormatException.class, () -> GgufFiles.FORMAT.open(renamed));
        assertTrue(e.getMessage().contains("-00001-of-00003.gguf"), e.getMessage());
    }

    @Test
    void shardNames() {
        Path prefix = Path.of("/d/model");
        assertEquals(Path.of("/d/model-00002-of-00010.gguf"), SplitNames.shard(prefix, 1, 10));
        assertEquals(prefix, SplitNames.prefixOf(Path.of("/d/model-00001-of-00010.gguf"), 0, 10).orElseThrow());
        assertFalse(SplitNames.prefixOf(Path.of("/d/model-00001-of-00010.gguf"), 0, 9).isPresent());
        assertEquals(Path.of("/d/out"), SplitNames.prefixForOutput(Path.of("/d/out.gguf")));
        assertEquals(Path.of("/d/out.bin"), SplitNames.prefixForOutput(Path.of("/d/out.bin")));
    }

    private static GgufHeader header(Path p) throws Exception {
        return HeaderReader.read(p, java.lang.foreign.MemorySegment.ofArray(Files.readAllBytes(p)));
    }

    private static List<String> names(List<TensorInfo> ts) {
        List<String> out = new ArrayList<>();
        ts.forEach(t -> out.add(t.name()));
        return out;
    }

    private static MemorySegment regionBytes(FileRegion region) throws IOException {
        try (FileChannel ch = FileChannel.open(region.file())) {
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(region.length()));
            while (buf.hasRemaining() && ch.read(buf, region.offset() + buf.position()) >= 0) {
                // positional reads until the region is full or the file ends
            }
            return MemorySegment.ofArray(buf.array()).asSlice(0, buf.position());
        }
    }
}
