package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WarmMappingTest {
    /** The warm-up reads what a model's weights are: a read-only mapping of zeroed bytes in a shared arena. */
    @Test
    void isAReadOnlyMappingOfZeros() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = WarmMapping.of(arena, 20_480);
            assertEquals(20_480, m.byteSize());
            assertTrue(m.isMapped(), "a file mapping, the class the model's weights have");
            assertTrue(m.isReadOnly());
            for (long i = 0; i < m.byteSize(); i += 997) {
                assertEquals(0, m.get(ValueLayout.JAVA_BYTE, i));
            }
        }
    }

    /** Its file is gone as soon as it is mapped: a warm-up leaves nothing in the temporary folder. */
    @Test
    void leavesNoFile() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = warmFiles(tmp);
        try (Arena arena = Arena.ofShared()) {
            WarmMapping.of(arena, 4096);
            assertEquals(before, warmFiles(tmp));
        }
        MatTile.create().warmUp();
        assertEquals(before, warmFiles(tmp));
    }

    private static long warmFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("quant4j-warmup")).count();
        }
    }
}
