package dev.quant4j.safetensors.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write → read round trips, sharding with an index, and byte equality with the safetensors library's output. */
class RoundTripTest {
    @TempDir
    Path tmp;

    /**
     * The reference F32 checkpoint was written by safetensors.torch.save_file; reading it and writing its tensors
     * back in the same order with the same metadata gives the same bytes.
     */
    @Test
    void rewritingTheReferenceFileGivesTheSameBytes() throws Exception {
        Path ref = SharedData.require("reference/hf/tiny-shakespeare-256-f32/model.safetensors");
        Path out = tmp.resolve("model.safetensors");
        try (SafetensorsReader r = SafetensorsReader.open(ref)) {
            assertEquals(57, r.tensors().size());
            List<String> names = r.tensors().stream().map(TensorInfo::name).toList();
            assertEquals(names.stream().sorted().toList(), names, "the library writes tensors sorted by name");
            try (ModelWriter w = SafetensorsWriter.create(out, r.layout(), WriteOptions.SINGLE_FILE)) {
                for (int i = 0; i < r.tensors().size(); i++) {
                    w.write(i, 0, r.view(r.tensors().get(i)).data());
                }
                w.commit();
            }
        }
        assertEquals(-1, Files.mismatch(ref, out), "rewritten file differs from the safetensors library's");
    }

    @Test
    void shardedWriteReadsBackThroughIndexAndDirectory() throws Exception {
        List<ModelLayout.TensorSlot> slots = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(5);
        DType[] types = {DType.F32, DType.F16, DType.BF16, DType.I8, DType.I32, DType.U8, DType.F8_E4M3, DType.F8_E5M2};
        for (int i = 0; i < 8; i++) {
            Shape shape = i % 3 == 0 ? Shape.of(16) : Shape.of(16, 4 + i, 2);
            long size = shape.elementCount() * types[i].blockBytes();
            byte[] b = new byte[(int) size];
            rnd.nextBytes(b);
            slots.add(new ModelLayout.TensorSlot("t." + (char) ('h' - i), types[i], shape, size));
            data.add(b);
        }
        ModelLayout layout = new ModelLayout(new Metadata(List.of(new Metadata.Entry("format", new MetaValue.Text("pt")))), slots);
        Path out = Files.createDirectory(tmp.resolve("out")).resolve("model.safetensors");
        List<Path> files;
        try (ModelWriter w = SafetensorsWriter.create(out, layout, new WriteOptions(600, 0))) {
            for (int i = data.size() - 1; i >= 0; i--) {
                MemorySegment.copy(MemorySegment.ofArray(data.get(i)), 0, w.tensorData(i), 0, data.get(i).length);
            }
            w.commit();
            files = w.files();
        }
        assertTrue(files.size() > 2, "expected several shards: " + files);
        assertEquals(out.resolveSibling("model.safetensors.index.json"), files.getLast());
        assertTrue(files.getFirst().getFileName().toString().matches("model-00001-of-0000\\d\\.safetensors"));
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(files.size(), s.count(), "only the committed files exist");
        }
        for (Path open : List.of(out.getParent(), files.getLast())) {
            try (SafetensorsReader r = SafetensorsReader.open(open)) {
                assertEquals(slots.stream().map(ModelLayout.TensorSlot::name).toList(),
                        r.tensors().stream().map(TensorInfo::name).toList());
                for (int i = 0; i < slots.size(); i++) {
                    TensorInfo t = r.tensors().get(i);
                    assertEquals(slots.get(i).type(), t.type());
                    assertEquals(slots.get(i).shape(), t.shape());
                    assertArrayEquals(data.get(i), r.view(t).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    assertArrayEquals(data.get(i), regionBytes(r.fileRegion(t).orElseThrow()), t.name());
                }
                assertEquals(files.size() - 1, r.container().files().size());
            }
        }
        String index = Files.readString(files.getLast());
        assertTrue(index.contains("\"total_size\": " + data.stream().mapToLong(b -> b.length).sum()), index);
    }

    @Test
    void blockTypesAndTypedMetadataAreRefusedUpFront() {
        Path out = tmp.resolve("x.safetensors");
        ModelLayout q = new ModelLayout(Metadata.empty(), List.of(new ModelLayout.TensorSlot("w", DType.Q4_K,
                Shape.of(256), 144)));
        QuantException e = assertThrows(QuantException.class, () -> SafetensorsWriter.create(out, q, WriteOptions.SINGLE_FILE));
        assertTrue(e.getMessage().contains("tensor 'w': type q4_k cannot be stored in safetensors"), e.getMessage());
        ModelLayout m = new ModelLayout(new Metadata(List.of(new Metadata.Entry("n", MetaValue.u32(3)))), List.of());
        e = assertThrows(QuantException.class, () -> SafetensorsWriter.create(out, m, WriteOptions.SINGLE_FILE));
        assertTrue(e.getMessage().contains("metadata 'n' is a uint32"), e.getMessage());
        assertTrue(Files.notExists(out) && Files.notExists(out.resolveSibling("x.safetensors.tmp")));
    }

    @Test
    void fp8DecodesPerTheOcpSpec() {
        // E4M3: bias 7, max 448 = 0x7E, NaN 0x7F, min subnormal 2^-9; E5M2: bias 15, max 57344 = 0x7B, inf 0x7C
        assertEquals(448f, dev.quant4j.api.tensor.Fp8.decode(DType.F8_E4M3, (byte) 0x7E));
        assertTrue(Float.isNaN(dev.quant4j.api.tensor.Fp8.decode(DType.F8_E4M3, (byte) 0xFF)));
        assertEquals(0x1p-9f, dev.quant4j.api.tensor.Fp8.decode(DType.F8_E4M3, (byte) 0x01));
        assertEquals(-1.5f, dev.quant4j.api.tensor.Fp8.decode(DType.F8_E4M3, (byte) 0xBC));
        assertEquals(57344f, dev.quant4j.api.tensor.Fp8.decode(DType.F8_E5M2, (byte) 0x7B));
        assertEquals(Float.NEGATIVE_INFINITY, dev.quant4j.api.tensor.Fp8.decode(DType.F8_E5M2, (byte) 0xFC));
        assertEquals(0x1p-16f, dev.quant4j.api.tensor.Fp8.decode(DType.F8_E5M2, (byte) 0x01));
        // quant-api decodes for TensorView (it may not depend on quant-kernels); both codecs agree on every code
        for (int c = 0; c < 256; c++) {
            assertEquals(dev.quant4j.kernels.Fp8.E4M3FN.decode((byte) c), dev.quant4j.api.tensor.Fp8.decode(DType.F8_E4M3, (byte) c));
            assertEquals(dev.quant4j.kernels.Fp8.E5M2.decode((byte) c), dev.quant4j.api.tensor.Fp8.decode(DType.F8_E5M2, (byte) c));
        }
    }

    /** The bytes a reader says a tensor has in its file, read back by positional reads. */
    private static byte[] regionBytes(FileRegion region) throws IOException {
        try (FileChannel ch = FileChannel.open(region.file())) {
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(region.length()));
            while (buf.hasRemaining() && ch.read(buf, region.offset() + buf.position()) >= 0) {
                // positional reads until the region is full or the file ends
            }
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }
}
