package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.api.spi.ModelWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Writes one tensor into its output segment: copies it, or quantizes its rows in parallel chunks that
 * never cross an expert boundary (each expert of a MoE tensor has its own importance row).
 */
final class TensorWriter {
    /** Source values per chunk: large enough to amortise scheduling, small enough to keep memory flat. */
    private static final long CHUNK_ELEMENTS = 1L << 18;
    /** Above this a non-row-independent tensor's error is not measured (it would need one huge buffer). */
    private static final long MAX_WHOLE_TENSOR_MEASURE = 1L << 26;
    private static final long COPY_CHUNK = 1L << 26;

    private final ExecutorService pool;
    private final int threads;
    private final boolean measure;
    private final BooleanSupplier cancelled;
    private final java.util.function.LongConsumer progress;

    TensorWriter(ExecutorService pool, int threads, boolean measure, BooleanSupplier cancelled) {
        this(pool, threads, measure, cancelled, b -> { });
    }

    /** As above; {@code progress} gets the source bytes of each finished chunk, on the calling thread. */
    TensorWriter(ExecutorService pool, int threads, boolean measure, BooleanSupplier cancelled,
                 java.util.function.LongConsumer progress) {
        this.pool = pool;
        this.threads = threads;
        this.measure = measure;
        this.cancelled = cancelled;
        this.progress = progress;
    }

    static long chunkRows(long rowLength) {
        return Math.max(1, CHUNK_ELEMENTS / Math.max(1, rowLength));
    }

    /** Writes {@code step}'s tensor from {@code src} as tensor {@code index}; returns its error meter, or null. */
    ErrorMeter write(TensorStep step, TensorView src, ModelWriter writer, int index) throws IOException {
        return write(step, src, src, writer, index);
    }

    /**
     * As {@link #write(TensorStep, TensorView, ModelWriter, int)}, quantizing {@code src} (e.g. GPTQ-adjusted
     * weights) but measuring the error against {@code original}.
     */
    ErrorMeter write(TensorStep step, TensorView src, TensorView original, ModelWriter writer, int index)
            throws IOException {
        if (step.isCopy()) {
            // positional writes, not the mapping: a full device then fails the write with an IOException
            MemorySegment data = src.data();
            for (long off = 0; off < data.byteSize(); off += COPY_CHUNK) {
                writer.write(index, off, data.asSlice(off, Math.min(COPY_CHUNK, data.byteSize() - off)));
            }
            return null;
        }
        long rows = src.rows();
        boolean measured = measure && step.dequantizes()
                && (step.rowIndependent() || src.shape().elementCount() <= MAX_WHOLE_TENSOR_MEASURE);
        ErrorMeter meter = measured ? new ErrorMeter() : null;
        if (!step.rowIndependent()) {
            chunk(step, src, original, writer, index, 0, rows, importanceRow(step, 0), meter);
            return meter;
        }
        int slices = step.importance() == null ? 1 : step.importance().slices();
        if (rows % slices != 0) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + src.name() + "': " + rows
                    + " rows do not split into the " + slices + " expert slices of its importance data");
        }
        long perSlice = rows / slices;
        long step0 = chunkRows(src.rowLength());
        List<Future<?>> futures = new ArrayList<>();
        List<Long> chunkBytes = new ArrayList<>();
        long bytesPerRow = original.data().byteSize() / rows; // source bytes, as the progress counts them
        for (int slice = 0; slice < slices; slice++) {
            float[] imp = importanceRow(step, slice);
            long end = (slice + 1) * perSlice;
            for (long r0 = slice * perSlice; r0 < end; r0 += step0) {
                long first = r0;
                long n = Math.min(step0, end - r0);
                if (threads == 1) {
                    chunk(step, src, original, writer, index, first, n, imp, meter);
                    progress.accept(n * bytesPerRow);
                } else {
                    futures.add(pool.submit(() -> {
                        chunk(step, src, original, writer, index, first, n, imp, meter);
                        return null;
                    }));
                    chunkBytes.add(n * bytesPerRow);
                }
            }
        }
        await(futures, chunkBytes);
        return meter;
    }

    private static float[] importanceRow(TensorStep step, int slice) {
        return step.importance() == null ? null : step.importance().slice(slice);
    }

    /**
     * Quantizes rows {@code [first, first + n)}. Row-independent encodings go through a small heap buffer and
     * one positional write; others are written straight into the tensor's region.
     */
    private void chunk(TensorStep step, TensorView src, TensorView original, ModelWriter writer, int index, long first,
                       long n, float[] imp, ErrorMeter meter) throws IOException {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("cancelled");
        }
        int rowLength = Math.toIntExact(src.rowLength());
        long rowBytes = step.rowIndependent() ? step.outputBytes() / src.rows() : 0;
        MemorySegment out = step.rowIndependent()
                ? MemorySegment.ofArray(new byte[Math.toIntExact(n * rowBytes)])
                : writer.tensorData(index);
        TensorView in = src;
        long inFirst = first;
        if (step.sourceDecoder() != null) {
            float[] decoded = new float[Math.toIntExact(n * rowLength)];
            step.sourceDecoder().dequantize(src.rowBytes(first, n), src.shape(), first, n, decoded);
            in = TensorView.ofFloats(src.name(), Shape.of(rowLength, n), decoded);
            inFirst = 0;
        }
        step.quantizer().quantize(in, inFirst, n, imp, out);
        if (step.rowIndependent()) {
            writer.write(index, first * rowBytes, out);
        }
        if (meter != null) {
            int count = Math.toIntExact(n * rowLength);
            float[] before = new float[count];
            if (original == src) {
                in.readRows(inFirst, Math.toIntExact(n), before, 0);
            } else {
                original.readRows(first, Math.toIntExact(n), before, 0);
            }
            float[] restored = new float[count];
            step.quantizer().dequantize(out, src.shape(), first, n, restored);
            meter.add(before, restored, count);
        }
    }

    private void await(List<Future<?>> futures, List<Long> chunkBytes) {
        RuntimeException failure = null;
        for (int i = 0; i < futures.size(); i++) {
            Future<?> f = futures.get(i);
            try {
                if (failure == null) {
                    f.get();
                    progress.accept(chunkBytes.get(i));
                } else {
                    f.cancel(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new CancellationException("interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                failure = c instanceof RuntimeException re ? re
                        : c instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(c);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
