package dev.quant4j.api.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Positional reads of {@link FileRegion}s, for any number of threads at once: one read-only channel per file, opened
 * on first use and closed with the reader. For bytes used once (a forward pass's weights in a batch, a quantize run's
 * input), reading them into a reused buffer costs the kernel's copy, where touching a fresh mapping costs, on a
 * virtual machine, a fault per page several times dearer (docs/forward-pass.md, "Weights read, not touched").
 */
public final class RegionReader implements Closeable {
    /**
     * Whether consumers should read regions rather than touch their mappings: true unless
     * {@code -Dquant4j.weights=mapped} (the mapped path as before, for comparison).
     */
    public static final boolean PREFERRED = !"mapped".equals(System.getProperty("quant4j.weights"));

    private final ConcurrentHashMap<Path, FileChannel> channels = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * Reads {@code dst.byteSize()} bytes from byte {@code start} of {@code region} into {@code dst}.
     *
     * @throws EOFException when the file ends first (cut after it was opened), naming the file and the offset
     */
    public void read(FileRegion region, long start, MemorySegment dst) throws IOException {
        long length = dst.byteSize();
        if (start < 0 || start + length > region.length()) {
            throw new IndexOutOfBoundsException(region.file() + ": [" + start + ", " + (start + length)
                    + ") outside a region of " + region.length() + " bytes");
        }
        long at = region.offset() + start;
        ByteBuffer buf = dst.asByteBuffer();
        FileChannel ch = channel(region.file());
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                throw new EOFException(region.file() + ": ends at byte " + (at + buf.position()) + " while reading "
                        + length + " bytes from byte " + at + " (was the file cut after it was opened?)");
            }
        }
    }

    private FileChannel channel(Path file) throws IOException {
        FileChannel ch = channels.get(file);
        if (ch != null) {
            return ch;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException(file + ": read after the model was closed");
            }
            ch = channels.get(file);
            if (ch == null) {
                ch = FileChannel.open(file, StandardOpenOption.READ);
                channels.put(file, ch);
            }
            return ch;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException failure = null;
        for (FileChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        channels.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
