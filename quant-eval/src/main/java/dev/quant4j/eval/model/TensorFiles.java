package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.io.FileRegion;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Positional reads of weight bytes from the model's files, one channel per file opened on first use, for any
 * number of threads at once. The forward pass reads each weight once per batch; reading it into a reused buffer
 * costs the kernel's copy, while touching the mapping costs, on a virtual machine, a fault per fresh page that is
 * several times dearer (docs/forward-pass.md, "Weights read, not touched").
 */
final class TensorFiles implements Closeable {
    /** {@code -Dquant4j.weights=mapped} reads weights through the mapping as before (for comparison). */
    static final boolean ENABLED = !"mapped".equals(System.getProperty("quant4j.weights"));

    private final ConcurrentHashMap<Path, FileChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Reads {@code dst.byteSize()} bytes from byte {@code start} of {@code region} into {@code dst}. */
    void read(FileRegion region, long start, MemorySegment dst) {
        long length = dst.byteSize();
        if (start < 0 || start + length > region.length()) {
            throw new IndexOutOfBoundsException(region.file() + ": [" + start + ", " + (start + length)
                    + ") outside the tensor's " + region.length() + " bytes");
        }
        long at = region.offset() + start;
        ByteBuffer buf = dst.asByteBuffer();
        try {
            FileChannel ch = channel(region.file());
            while (buf.hasRemaining()) {
                if (ch.read(buf, at + buf.position()) < 0) {
                    throw new QuantException(ErrorCode.IO, region.file() + ": ends at byte "
                            + (at + buf.position()) + " while reading " + length + " bytes of weights from byte "
                            + at + " (was the file truncated after it was opened?)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(region.file() + ": cannot read " + length + " bytes at byte " + at, e);
        }
    }

    private FileChannel channel(Path file) throws IOException {
        FileChannel ch = channels.get(file);
        if (ch != null) {
            return ch;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("the model is closed");
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
