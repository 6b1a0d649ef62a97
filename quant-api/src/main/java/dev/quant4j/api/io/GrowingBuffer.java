package dev.quant4j.api.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A reused native buffer for one thread (or one in-flight job) at a time: {@link #get} hands out the first
 * {@code bytes} of it, growing it when a request is larger than any before, so a pipeline of same-sized chunks
 * touches its pages once. The memory is freed with the buffer when it becomes unreachable.
 */
public final class GrowingBuffer {
    private final long minimum;
    private MemorySegment segment = MemorySegment.NULL;

    /** @param minimum bytes allocated at the least, so that slightly growing requests do not reallocate each time */
    public GrowingBuffer(long minimum) {
        this.minimum = minimum;
    }

    /** A segment of exactly {@code bytes} bytes (contents undefined), valid until the next call. */
    public MemorySegment get(long bytes) {
        if (segment.byteSize() < bytes) {
            segment = Arena.ofAuto().allocate(Math.max(bytes, minimum), 64);
        }
        return segment.asSlice(0, bytes);
    }
}
