package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.io.GrowingBuffer;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Matmul tiles read from the model file ({@link Matrix#storedRows}) are the mapped bytes, and
 * decode to the same floats, for the kernel's own encodings and for types the registry decodes.
 */
class StoredRowsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(StoredRowsTest.class.getClassLoader());

    @ParameterizedTest
    @ValueSource(strings = {"f16", "Q8_0", "Q4_K_M", "Q4_0", "IQ4_XS"})
    void tilesReadFromTheFileAreTheMappedBytes(String type) throws IOException {
        Path model = Reference.file("reference/trained/tiny-shakespeare-256-" + type + ".gguf");
        try (ModelReader reader = REGISTRY.formatFor(model).orElseThrow().open(model);
             Weights read = new Weights(reader, REGISTRY, true);
             Weights mapped = new Weights(reader, REGISTRY, false)) {
            GrowingBuffer buffer = new GrowingBuffer(0);
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
                    a.read(tile[0], tile[1], fa, new GrowingBuffer(0));
                    b.read(tile[0], tile[1], fb);
                    assertArrayEquals(fb, fa, t.name() + " rows " + tile[0]);
                }
                checked++;
            }
            assertEquals(6 * 7 + 2, checked, "6 blocks of 7 matrices, the embedding and the output");
        }
    }
}
