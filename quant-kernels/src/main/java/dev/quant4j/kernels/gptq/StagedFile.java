package dev.quant4j.kernels.gptq;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A statistics file written streaming to {@code FILE.tmp} and renamed to {@code FILE} only by {@link #commit}, so an
 * interrupted run never leaves a file that looks complete; {@link #close} without a commit deletes the temp file.
 * Numbers are little-endian.
 */
public final class StagedFile implements AutoCloseable {
    private static final int CHUNK = 1 << 16;
    private final Path target;
    private final Path tmp;
    private final FileChannel ch;
    private boolean committed;

    public StagedFile(Path target) throws IOException {
        this.target = target;
        this.tmp = target.resolveSibling(target.getFileName() + ".tmp");
        this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** A little-endian buffer of {@code bytes} to fill and {@link #write}. */
    public static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes what remains of {@code b} (flipped). */
    public void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    public void writeFloats(float[] v) throws IOException {
        writeChunks(v.length, 4, (b, from, n) -> b.asFloatBuffer().put(v, from, n));
    }

    public void writeDoubles(double[] v) throws IOException {
        writeChunks(v.length, 8, (b, from, n) -> b.asDoubleBuffer().put(v, from, n));
    }

    private interface Fill {
        void fill(ByteBuffer b, int from, int n);
    }

    /** Writes {@code length} values of {@code width} bytes through one buffer of at most {@code CHUNK} values. */
    private void writeChunks(int length, int width, Fill fill) throws IOException {
        ByteBuffer d = buffer(width * Math.max(1, Math.min(length, CHUNK)));
        for (int i = 0; i < length; ) {
            int n = Math.min(length - i, d.capacity() / width);
            d.clear();
            fill.fill(d, i, n);
            d.limit(width * n);
            write(d);
            i += n;
        }
    }

    /** Writes the int32 {@code end} marker, forces the data to disk and renames the file to its final name. */
    public void commit(int end) throws IOException {
        write(buffer(4).putInt(end).flip());
        ch.force(true);
        ch.close();
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            ch.close();
            Files.deleteIfExists(tmp);
        }
    }
}
