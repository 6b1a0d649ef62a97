package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Matmul tiles read from the model file ({@link Matrix#storedRows}, {@link TensorFiles}) are the mapped bytes, and
 * decode to the same floats, for the kernel's own encodings and for types the registry decodes.
 */
class StoredRowsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(StoredRowsTest.class.getClassLoader());

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"f16", "Q8_0", "Q4_K_M", "Q4_0", "IQ4_XS"})
    void tilesReadFromTheFileAreTheMappedBytes(String type) throws IOException {
        Path model = Reference.file("reference/trained/tiny-shakespeare-256-" + type + ".gguf");
        try (ModelReader reader = REGISTRY.formatFor(model).orElseThrow().open(model);
             Weights read = new Weights(reader, REGISTRY, true);
             Weights mapped = new Weights(reader, REGISTRY, false)) {
            RowBuffer buffer = new RowBuffer();
            int checked = 0;
            for (TensorInfo t : reader.tensors()) {
                if (t.shape().rank() != 2) {
                    continue;
                }
                Matrix a = read.rows(t.name());
                Matrix b = mapped.rows(t.name());
                int rows = a.rows();
                for (int[] tile : new int[][] {{0, Math.min(rows, 32)}, {rows - Math.min(rows, 7), Math.min(rows, 7)}}) {
                    MemorySegment fromFile = a.storedRows(tile[0], tile[1], buffer);
                    MemorySegment fromMapping = b.storedRows(tile[0], tile[1], buffer);
                    assertFalse(fromFile.isMapped(), t.name() + " was not read from the file");
                    assertTrue(fromMapping.isMapped());
                    assertTrue(a.storedRows(tile[0], tile[1], null).isMapped(), "no buffer: the mapping");
                    assertEquals(-1, fromFile.mismatch(fromMapping), t.name() + " rows " + tile[0]);
                    float[] fa = new float[tile[1] * a.cols()];
                    float[] fb = new float[fa.length];
                    a.read(tile[0], tile[1], fa, new RowBuffer());
                    b.read(tile[0], tile[1], fb);
                    assertArrayEquals(fb, fa, t.name() + " rows " + tile[0]);
                }
                checked++;
            }
            assertEquals(6 * 7 + 2, checked, "6 blocks of 7 matrices, the embedding and the output");
        }
    }

    @Test
    void aFileCutShortAfterOpeningIsNamedWithTheOffset() throws IOException {
        Path file = Files.write(tmp.resolve("weights.bin"), new byte[100]);
        FileRegion region = new FileRegion(file, 40, 100); // as the header said before the file was cut
        try (TensorFiles files = new TensorFiles(); Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(80);
            QuantException e = assertThrows(QuantException.class, () -> files.read(region, 0, dst));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("ends at byte 100"),
                    e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> files.read(region, 30, dst));
            MemorySegment part = arena.allocate(20);
            files.read(new FileRegion(file, 10, 50), 5, part);
            assertEquals(0, part.get(ValueLayout.JAVA_BYTE, 19));
        }
    }

    @Test
    void readsAfterCloseFail() throws IOException {
        Path file = Files.write(tmp.resolve("w.bin"), new byte[] {1, 2, 3, 4});
        TensorFiles files = new TensorFiles();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(2);
            files.read(new FileRegion(file, 1, 3), 1, dst);
            assertEquals(3, dst.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(4, dst.get(ValueLayout.JAVA_BYTE, 1));
            files.close();
            assertThrows(UncheckedIOException.class, () -> files.read(new FileRegion(file, 0, 4), 0, dst));
        }
    }
}
