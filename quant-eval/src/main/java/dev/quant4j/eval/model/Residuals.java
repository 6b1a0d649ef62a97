package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The residual activations of every batch while layer streaming runs them block by block: on the heap, or, when
 * they would exceed the budget, in a memory-mapped temporary file (deleted on close) with only the batch being
 * computed on the heap. Either way the stored floats are the computed ones, bit for bit.
 */
sealed interface Residuals extends AutoCloseable {
    /** The activations of batch {@code b} ({@code rows[b] × width} floats); write them back with {@link #store}. */
    float[] load(int b);

    void store(int b, float[] x);

    /** Batch {@code b} is no longer needed. */
    void release(int b);

    @Override
    void close();

    /** Heap when {@code Σ rows × width × 4} fits in {@code budget} bytes, else a temporary file. */
    static Residuals of(int[] rows, int width, long budget) {
        long bytes = 0;
        for (int r : rows) {
            bytes += (long) r * width * Float.BYTES;
        }
        return bytes <= budget ? new Heap(new float[rows.length][]) : Mapped.create(rows, width, bytes);
    }

    /** Every batch as its own array. */
    record Heap(float[][] xs) implements Residuals {
        @Override
        public float[] load(int b) {
            return xs[b];
        }

        @Override
        public void store(int b, float[] x) {
            xs[b] = x;
        }

        @Override
        public void release(int b) {
            xs[b] = null;
        }

        @Override
        public void close() {
            java.util.Arrays.fill(xs, null);
        }
    }

    /** Batches one after another in a mapped temporary file. */
    final class Mapped implements Residuals {
        private final Path file;
        private final Arena arena;
        private final MemorySegment data;
        private final long[] offsets;
        private final int[] lengths;

        private Mapped(Path file, Arena arena, MemorySegment data, long[] offsets, int[] lengths) {
            this.file = file;
            this.arena = arena;
            this.data = data;
            this.offsets = offsets;
            this.lengths = lengths;
        }

        static Mapped create(int[] rows, int width, long bytes) {
            long[] offsets = new long[rows.length];
            int[] lengths = new int[rows.length];
            long off = 0;
            for (int b = 0; b < rows.length; b++) {
                offsets[b] = off;
                lengths[b] = Math.multiplyExact(rows[b], width);
                off += (long) lengths[b] * Float.BYTES;
            }
            Path file = null;
            Arena arena = Arena.ofShared();
            try {
                file = Files.createTempFile("quant4j-residuals-", ".f32");
                file.toFile().deleteOnExit();   // a backstop: close() deletes it
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    MemorySegment data = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
                    return new Mapped(file, arena, data, offsets, lengths);
                }
            } catch (IOException | RuntimeException e) {
                arena.close();
                delete(file);
                if (e instanceof java.nio.channels.ClosedByInterruptException) {
                    throw new java.util.concurrent.CancellationException("interrupted");
                }
                throw new QuantException(ErrorCode.IO, "layer streaming: cannot map a temporary file of " + bytes
                        + " bytes for the activations" + (file == null ? "" : " (" + file + ")") + ": "
                        + e.getMessage());
            }
        }

        @Override
        public float[] load(int b) {
            float[] x = new float[lengths[b]];
            MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED, offsets[b], x, 0, x.length);
            return x;
        }

        @Override
        public void store(int b, float[] x) {
            MemorySegment.copy(x, 0, data, ValueLayout.JAVA_FLOAT_UNALIGNED, offsets[b], lengths[b]);
        }

        @Override
        public void release(int b) {
            // the file is unmapped and deleted on close
        }

        @Override
        public void close() {
            arena.close();
            delete(file);
        }

        private static void delete(Path file) {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the temporary file " + file, e);
                }
            }
        }
    }
}
