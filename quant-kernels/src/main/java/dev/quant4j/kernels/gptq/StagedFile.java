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
        ByteBuffer d = buffer(4 * Math.max(1, Math.min(v.length, CHUNK)));
        for (int i = 0; i < v.length; ) {
            int n = Math.min(v.length - i, d.capacity() / 4);
            d.clear();
            d.asFloatBuffer().put(v, i, n);
            d.limit(4 * n);
            write(d);
            i += n;
        }
    }

    public void writeDoubles(double[] v) throws IOException {
        ByteBuffer d = buffer(8 * Math.max(1, Math.min(v.length, CHUNK)));
        for (int i = 0; i < v.length; ) {
            int n = Math.min(v.length - i, d.capacity() / 8);
            d.clear();
            d.asDoubleBuffer().put(v, i, n);
            d.limit(8 * n);
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
