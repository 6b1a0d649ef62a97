package dev.quant4j.eval.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One thread's native buffer for weight rows read from the file, grown on demand and reused for every tile, so its
 * pages are touched once (freed with the buffer when unreachable).
 */
final class RowBuffer {
    /** Growth step: tiles of one model differ in size; a few steps cover them all. */
    private static final long STEP = 1 << 18;
    private MemorySegment buffer = MemorySegment.NULL;

    /** A segment of exactly {@code bytes} bytes (contents undefined). */
    MemorySegment get(long bytes) {
        if (buffer.byteSize() < bytes) {
            buffer = Arena.ofAuto().allocate((bytes + STEP - 1) / STEP * STEP, 64);
        }
        return buffer.asSlice(0, bytes);
    }
}
