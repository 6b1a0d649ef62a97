package dev.quant4j.kernels;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Zeroed bytes for the kernel warm-up that are a read-only file mapping in a shared arena, as a model's weights
 * are: the JIT speculates on the segment's class (a mapped segment is another class than allocated memory) and
 * compiles the bounds and alignment checks of the kernel's bulk copies for the class it profiled, so a warm-up on
 * allocated memory got code that the first model matmul threw away (an uncommon trap per check, then the slow
 * uncompiled copy until C2 had compiled it again). A temporary file, deleted at once; allocated memory when no
 * file can be made (only speed depends on it).
 */
final class WarmMapping {
    private WarmMapping() {
    }

    static MemorySegment of(Arena arena, long bytes) {
        Path file = null;
        try {
            file = Files.createTempFile("quant4j-warmup", ".bin");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(Math.toIntExact(bytes)));
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
            }
        } catch (IOException | RuntimeException e) {
            return arena.allocate(bytes);
        } finally {
            delete(file);
        }
    }

    /** Removes the file (a mapping outlives it where the system allows; elsewhere it goes when the JVM ends). */
    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
