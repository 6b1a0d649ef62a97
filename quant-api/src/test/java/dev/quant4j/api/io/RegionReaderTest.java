package dev.quant4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positional reads of file regions: the right bytes, a file cut short named with its offset, nothing after close. */
class RegionReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheBytesOfARegionFromAnOffset() throws IOException {
        byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        Path file = Files.write(tmp.resolve("w.bin"), bytes);
        try (RegionReader reader = new RegionReader(); Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(50);
            reader.read(new FileRegion(file, 100, 150), 20, dst);
            for (int i = 0; i < 50; i++) {
                assertEquals(bytes[120 + i], dst.get(ValueLayout.JAVA_BYTE, i));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> reader.read(new FileRegion(file, 100, 150), 101, dst));
        }
    }

    @Test
    void aFileCutShortAfterOpeningIsNamedWithTheOffset() throws IOException {
        Path file = Files.write(tmp.resolve("cut.bin"), new byte[100]);
        FileRegion region = new FileRegion(file, 40, 100); // as the header said before the file was cut
        try (RegionReader reader = new RegionReader(); Arena arena = Arena.ofConfined()) {
            EOFException e = assertThrows(EOFException.class, () -> reader.read(region, 0, arena.allocate(80)));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("ends at byte 100")
                    && e.getMessage().contains("from byte 40"), e.getMessage());
        }
    }

    @Test
    void readsAfterCloseFail() throws IOException {
        Path file = Files.write(tmp.resolve("w.bin"), new byte[] {1, 2, 3, 4});
        RegionReader reader = new RegionReader();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(2);
            reader.read(new FileRegion(file, 1, 3), 1, dst);
            assertEquals(3, dst.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(4, dst.get(ValueLayout.JAVA_BYTE, 1));
            reader.close();
            assertThrows(IOException.class, () -> reader.read(new FileRegion(file, 0, 4), 0, dst));
        }
    }

    @Test
    void aRegionSliceStaysInside() {
        FileRegion r = new FileRegion(Path.of("m.gguf"), 1000, 64);
        assertEquals(new FileRegion(Path.of("m.gguf"), 1010, 20), r.slice(10, 20));
        assertThrows(IndexOutOfBoundsException.class, () -> r.slice(50, 20));
        assertThrows(IllegalArgumentException.class, () -> new FileRegion(Path.of("m.gguf"), -1, 3));
    }
}
