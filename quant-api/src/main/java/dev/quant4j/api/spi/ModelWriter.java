package dev.quant4j.api.spi;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * A model being written. Header, metadata and tensor infos are written when it is created; each tensor's
 * bytes are then filled through {@link #tensorData(int)} (any order, any thread). {@link #commit()} makes
 * the output appear under its final name(s); {@link #close()} without commit deletes every temp file.
 */
public interface ModelWriter extends Closeable {
    /** A writable segment of exactly the slot's byte size for tensor {@code index} of the layout. */
    MemorySegment tensorData(int index) throws IOException;

    /**
     * Writes {@code bytes} at {@code offset} within tensor {@code index} (any order, any thread). Formats may
     * implement this with positional file writes, which spare the page faults of filling a fresh mapping.
     */
    default void write(int index, long offset, MemorySegment bytes) throws IOException {
        MemorySegment.copy(bytes, 0, tensorData(index), offset, bytes.byteSize());
    }

    /**
     * Forces tensor {@code index}'s bytes to storage when the writer was created with
     * {@link WriteOptions#sync()}; a no-op otherwise. A resumable job calls it before recording the tensor as done.
     */
    default void force(int index) throws IOException {
    }

    /** The temp files this writer fills, in shard order (their size is fixed at creation). */
    default List<Path> tempFiles() {
        return List.of();
    }

    /** Flushes, closes and renames the temp file(s) to their final names. */
    void commit() throws IOException;

    /** The files written (final names), known once committed. */
    List<Path> files();

    /**
     * Releases resources; deletes temp output when not committed, unless created with
     * {@link WriteOptions#resume()}, which keeps it for the next run to continue.
     */
    @Override
    void close() throws IOException;
}
