package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.engine.DemoModel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad inputs as the user meets them: a NaN or infinite weight, a tensor whose shape claims more data than the file
 * holds, an imatrix made for another model, an imatrix cut short. Each ends with exit code 3, one message naming
 * the file, the tensor and the position, no stack trace, and nothing left under the output name.
 */
class BadInputCommandTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(BadInputCommandTest.class.getClassLoader());
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = new DemoModel(2, 256, 512, 4, 2, 512, 9).write(REGISTRY, dir.resolve("m.gguf"));
    }

    @Test
    void nonFiniteWeightNamesFileTensorRowAndColumn(@TempDir Path tmp) throws IOException {
        for (short f16 : new short[] {0x7E00, 0x7C00}) { // NaN, +Inf
            Path bad = Files.copy(model, tmp.resolve("nan.gguf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long at = elementOffset(bad, "blk.0.ffn_down.weight", 3, 5);
            try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
                f.seek(at);
                f.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(f16).array());
            }
            Path out = tmp.resolve("o.gguf");
            ResumeCommandTest.Run r = ResumeCommandTest.quant("quantize", "-q", bad.toString(), out.toString(), "Q8_0");
            assertEquals(3, r.code(), r.err());
            assertTrue(r.err().contains(bad + ": tensor 'blk.0.ffn_down.weight': " + (f16 == 0x7E00 ? "NaN" : "Infinity")
                    + " at row 3, column 5"), r.err());
            assertNothingLeft(tmp, "o.gguf", r);
        }
    }

    @Test
    void shapeClaimingMoreDataThanTheFileNamesTensorAndOffset(@TempDir Path tmp) throws IOException {
        Path cut = tmp.resolve("cut.gguf");
        byte[] whole = Files.readAllBytes(model);
        Files.write(cut, Arrays.copyOf(whole, whole.length - 4096));
        ResumeCommandTest.Run r = ResumeCommandTest.quant("quantize", "-q", cut.toString(), tmp.resolve("o.gguf").toString(), "Q8_0");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains(cut + ": corrupt at byte ") && r.err().contains("tensor '"), r.err());
        assertNothingLeft(tmp, "o.gguf", r);
    }

    @Test
    void imatrixOfAnotherModelAndTruncatedImatrix(@TempDir Path tmp) throws IOException {
        Path other = Files.write(tmp.resolve("other.dat"), dat("blk.0.ffn_down.weight", 300, 300));
        ResumeCommandTest.Run r = ResumeCommandTest.quant("quantize", "-q", "--imatrix", other.toString(), model.toString(),
                tmp.resolve("o.gguf").toString(), "Q4_K_M");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("imatrix size 300 is different from tensor size 512 for blk.0.ffn_down.weight; the "
                + "imatrix " + other + " was made for another model"), r.err());
        assertNothingLeft(tmp, "o.gguf", r);

        Path cut = Files.write(tmp.resolve("cut.dat"), Arrays.copyOf(dat("blk.0.ffn_down.weight", 512, 512), 1000));
        r = ResumeCommandTest.quant("quantize", "-q", "--imatrix", cut.toString(), model.toString(),
                tmp.resolve("o.gguf").toString(), "Q4_K_M");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains(cut + ": corrupt at byte 33 (entry 0 nval): 512 values for 'blk.0.ffn_down.weight' "
                + "need 2048 bytes, only 963 left"), r.err());
        assertNothingLeft(tmp, "o.gguf", r);
    }

    private static void assertNothingLeft(Path dir, String output, ResumeCommandTest.Run r) throws IOException {
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        try (Stream<Path> s = Files.list(dir)) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(output)).toList();
            assertEquals(List.of(), left, "nothing left under the output name");
        }
    }

    private static long elementOffset(Path gguf, String tensor, long row, long col) throws IOException {
        try (ModelReader r = REGISTRY.format("gguf").open(gguf)) {
            TensorInfo t = r.tensors().stream().filter(x -> x.name().equals(tensor)).findFirst().orElseThrow();
            return r.container().dataOffset() + t.offset() + 2 * (row * t.shape().rowLength() + col);
        }
    }

    /** A legacy .dat of one entry with {@code declared} values (of which {@code written} are present), ncall 1. */
    private static byte[] dat(String name, int declared, int written) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + n.length + 4 * written).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(n.length).put(n).putInt(1).putInt(declared);
        for (int i = 0; i < written; i++) {
            b.putFloat(1f);
        }
        return b.array();
    }
}
