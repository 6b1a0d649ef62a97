package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source rows read from the input file are the mapped rows; views that are not the file's bytes are not read. */
class InputRegionsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(InputRegionsTest.class.getClassLoader());
    private static final DemoModel SMALL = new DemoModel(2, 256, 512, 4, 2, 512, 7);

    @TempDir
    Path tmp;

    @Test
    void rowsReadFromTheFileAreTheMappedRows() throws IOException {
        Path model = SMALL.write(REGISTRY, tmp.resolve("small-f16.gguf"));
        try (ModelReader reader = REGISTRY.formatFor(model).orElseThrow().open(model);
             InputRegions inputs = new InputRegions(reader);
             Arena arena = Arena.ofConfined()) {
            for (TensorInfo t : reader.tensors()) {
                TensorView v = reader.view(t);
                assertTrue(inputs.readable(v), t.name());
                long first = v.rows() / 3;
                long n = Math.min(5, v.rows() - first);
                MemorySegment rows = arena.allocate(n * v.rowBytes());
                inputs.read(v, first, rows);
                assertEquals(-1, rows.mismatch(v.rowBytes(first, n)), t.name());
                // a view of other bytes under the same name (GPTQ's adjusted weights, a guarded copy) is not read
                TensorView copy = new TensorView(t.name(), t.type(), t.shape(),
                        MemorySegment.ofArray(v.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
                assertFalse(inputs.readable(copy), t.name());
            }
        }
    }

    @Test
    void anInputCutShortAfterOpeningNamesTheFileTensorAndOffset() throws IOException {
        Path model = SMALL.write(REGISTRY, tmp.resolve("cut.gguf"));
        try (ModelReader reader = REGISTRY.formatFor(model).orElseThrow().open(model);
             InputRegions inputs = new InputRegions(reader);
             Arena arena = Arena.ofConfined()) {
            TensorInfo last = reader.tensors().getLast();
            TensorView v = reader.view(last);
            long end = reader.fileRegion(last).orElseThrow().offset() + last.byteSize();
            try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
                ch.truncate(end - 10);
            }
            MemorySegment rows = arena.allocate(v.rows() * v.rowBytes());
            IOException e = assertThrows(IOException.class, () -> inputs.read(v, 0, rows));
            assertTrue(e.getMessage().contains(model.toString()) && e.getMessage().contains("'" + last.name() + "'")
                    && e.getMessage().contains("ends at byte " + (end - 10)), e.getMessage());
        }
    }
}
