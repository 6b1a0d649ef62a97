package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every real GGUF file read and written again comes out byte for byte identical. */
class RoundTripTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyRealFileRoundTripsByteIdentically() {
        List<Path> files = GgufFiles.realFiles();
        assertTrue(files.size() >= 5, "expected the shared GGUF files, found " + files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> roundTrip(f)));
    }

    private void roundTrip(Path file) throws Exception {
        Path out = tmp.resolve(file.getFileName());
        try (ModelReader r = GgufFiles.FORMAT.open(file)) {
            ContainerInfo c = r.container();
            assertEquals("gguf", c.format());
            assertEquals(3, c.version());
            assertEquals(List.of(file), c.files());
            assertEquals(List.of(out), GgufFiles.copy(r, out, WriteOptions.SINGLE_FILE));
        }
        long mismatch = Files.mismatch(file, out);
        assertEquals(-1, mismatch, () -> file + " and its copy differ at byte " + mismatch);
        assertFalse(Files.exists(tmp.resolve(file.getFileName() + ".tmp")));
        Files.delete(out);
    }
}
