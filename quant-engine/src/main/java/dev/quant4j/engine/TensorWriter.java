package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.io.GrowingBuffer;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.RoundTripSink;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Quantizes tensors as a bounded pipeline of row chunks: {@link #submit} queues a tensor's chunks on the worker
 * pool and returns at once (so the next tensor's chunks queue behind them and no worker idles at a tensor's
 * end), {@link Pending#await} collects them in order. Each chunk is read once from the mapped input, encoded
 * (measuring its round-trip error while it is in cache) into one of a fixed set of reused native buffers,
 * checksummed and written with one positional write; then its input pages are released. Memory is the
 * buffer set ({@code threads + 2} chunks), whatever the model size, and nothing is allocated per chunk.
 */
final class TensorWriter {
    /** Source values per chunk: large enough to amortise scheduling, small enough to keep memory flat. */
    private static final long CHUNK_ELEMENTS = 1L << 18;
    /** Above this a non-row-independent tensor's error is not measured (it would need one huge buffer). */
    private static final long MAX_WHOLE_TENSOR_MEASURE = 1L << 26;
    private static final long COPY_CHUNK = 1L << 24;

    private final ExecutorService pool;
    private final boolean measure;
    private final BooleanSupplier cancelled;
    /** Free output buffers; taking one is the permit to queue a chunk, so at most this many are in flight. */
    private final BlockingQueue<ChunkBuffer> free;
    private final InputRegions inputs;

    TensorWriter(ExecutorService pool, int threads, boolean measure, BooleanSupplier cancelled) {
        this(pool, threads, measure, cancelled, null);
    }

    /** @param inputs where source rows can be read from the input file instead of the mapping; null: never */
    TensorWriter(ExecutorService pool, int threads, boolean measure, BooleanSupplier cancelled, InputRegions inputs) {
        this.inputs = inputs;
        this.pool = pool;
        this.measure = measure;
        this.cancelled = cancelled;
        int buffers = threads + 2;
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(new ChunkBuffer());
        }
    }

    static long chunkRows(long rowLength) {
        return Math.max(1, CHUNK_ELEMENTS / Math.max(1, rowLength));
    }

    /** One written chunk: the CRC-32C and length of its output bytes, and the source bytes it covered. */
    record Chunk(long crc, long bytes, long sourceBytes) {
    }

    /**
     * A submitted tensor: its chunks in output order, its error meter (null when not measured) and its input
     * bytes.
     */
    record Pending(List<Future<Chunk>> chunks, ErrorMeter meter, MemorySegment input) {
        /**
         * Waits for every chunk in order, passing each one's source bytes to {@code progress}; returns the
         * CRC-32C of the tensor's output bytes. The first failure cancels the rest and is rethrown. Then the
         * whole input tensor is released once more: the kernel's fault-around maps up to 64 KB of already
         * cached neighbours with each fault, re-mapping pages of chunks released before (about a tenth of the
         * input otherwise stays resident).
         */
        long await(LongConsumer progress) throws IOException {
            long crc = 0;
            RuntimeException failure = null;
            for (Future<Chunk> f : chunks) {
                if (failure != null) {
                    f.cancel(true);
                    continue;
                }
                try {
                    Chunk c = f.get();
                    crc = Crc32cConcat.concat(crc, c.crc(), c.bytes());
                    progress.accept(c.sourceBytes());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new CancellationException("interrupted");
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        failure = new UncheckedIOException(io);
                    } else {
                        failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                    }
                }
            }
            release(input);
            if (failure != null) {
                if (failure instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                throw failure;
            }
            return crc;
        }
    }

    /**
     * Queues tensor {@code index}: quantizes {@code src} (e.g. GPTQ-adjusted weights) measuring the error against
     * {@code original}. Blocks only while every output buffer is in flight.
     */
    Pending submit(TensorStep step, TensorView src, TensorView original, ModelWriter writer, int index)
            throws InterruptedException {
        if (step.isCopy()) {
            // positional writes, not the mapping: a full device then fails the write with an IOException
            List<Future<Chunk>> futures = new ArrayList<>();
            MemorySegment data = src.data();
            for (long off = 0; off < data.byteSize(); off += COPY_CHUNK) {
                long at = off;
                MemorySegment part = data.asSlice(off, Math.min(COPY_CHUNK, data.byteSize() - off));
                futures.add(pool.submit(() -> copy(writer, index, at, part)));
            }
            return new Pending(futures, null, src.data());
        }
        Pending p = begin(step, src, original, writer, index);
        if (step.rowIndependent()) {
            queueRows(step, src, original, writer, index, p, 0, src.rows());
        }
        return p;
    }

    /**
     * Starts a quantized tensor: its pending record, whose chunks {@link #queueRows} then adds (a quantizer that
     * is not row-independent gets its one whole-tensor task here).
     */
    Pending begin(TensorStep step, TensorView src, TensorView original, ModelWriter writer, int index) {
        List<Future<Chunk>> futures = new ArrayList<>();
        boolean measured = measure && step.dequantizes()
                && (step.rowIndependent() || src.shape().elementCount() <= MAX_WHOLE_TENSOR_MEASURE);
        ErrorMeter meter = measured ? new ErrorMeter() : null;
        if (!step.rowIndependent()) {
            futures.add(pool.submit(() -> whole(step, src, original, writer, index, meter)));
            return new Pending(futures, meter, original.data());
        }
        int slices = step.importance() == null ? 1 : step.importance().slices();
        if (src.rows() % slices != 0) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + src.name() + "': " + src.rows()
                    + " rows do not split into the " + slices + " expert slices of its importance data");
        }
        return new Pending(futures, meter, original.data());
    }

    /**
     * Queues rows {@code [from, to)} of a row-independent tensor started with {@link #begin} as chunks of
     * {@link #chunkRows} rows (none crossing an expert slice of its importance data). Blocks only while every
     * output buffer is in flight. Must not run while the finisher awaits {@code p}.
     */
    void queueRows(TensorStep step, TensorView src, TensorView original, ModelWriter writer, int index, Pending p,
                   long from, long to) throws InterruptedException {
        int slices = step.importance() == null ? 1 : step.importance().slices();
        long perSlice = src.rows() / slices;
        long step0 = chunkRows(src.rowLength());
        for (long r0 = from; r0 < to; ) {
            int slice = (int) (r0 / perSlice);
            float[] imp = importanceRow(step, slice);
            long first = r0;
            long n = Math.min(step0, Math.min(to, (slice + 1) * perSlice) - r0);
            ChunkBuffer buffer = free.take();
            try {
                p.chunks().add(pool.submit(() -> {
                    try {
                        return chunk(step, src, original, writer, index, first, n, imp, p.meter(), buffer);
                    } finally {
                        free.add(buffer);
                    }
                }));
            } catch (RuntimeException e) { // rejected: the pool is shutting down
                free.add(buffer);
                throw e;
            }
            r0 += n;
        }
    }

    private static float[] importanceRow(TensorStep step, int slice) {
        return step.importance() == null ? null : step.importance().slice(slice);
    }

    private Chunk copy(ModelWriter writer, int index, long offset, MemorySegment part) throws IOException {
        checkCancelled();
        writer.write(index, offset, part);
        long crc = crc(part);
        release(part);
        return new Chunk(crc, part.byteSize(), part.byteSize());
    }

    /** A quantizer that is not row-independent: the whole tensor at once, straight into the output mapping. */
    private Chunk whole(TensorStep step, TensorView src, TensorView original, ModelWriter writer, int index,
                        ErrorMeter meter) throws IOException {
        checkCancelled();
        MemorySegment out = writer.tensorData(index);
        long rows = src.rows();
        TensorView in = decoded(step, src, 0, rows);
        step.quantizer().quantize(in, 0, rows, importanceRow(step, 0), out);
        if (meter != null) {
            measureAfter(step, in == src ? original : in, 0, rows, out, meter);
        }
        return new Chunk(crc(out), out.byteSize(), original.data().byteSize());
    }

    /** Quantizes rows {@code [first, first + n)} into {@code buffer} and writes them with one positional write. */
    private Chunk chunk(TensorStep step, TensorView src, TensorView original, ModelWriter writer, int index, long first,
                        long n, float[] imp, ErrorMeter meter, ChunkBuffer buffer) throws IOException {
        checkCancelled();
        long rowBytes = step.outputBytes() / src.rows();
        MemorySegment out = buffer.take(n * rowBytes);
        boolean read = src == original && inputs != null && inputs.readable(src);
        TensorView in;
        long inFirst;
        if (read) { // the chunk's rows from the file, as a view of their own
            MemorySegment bytes = buffer.input(n * src.rowBytes());
            inputs.read(src, first, bytes);
            in = step.sourceDecoder() == null
                    ? new TensorView(src.name(), src.type(), Shape.of(src.rowLength(), n), bytes)
                    : decoded(step, src, bytes, first, n);
            inFirst = 0;
        } else {
            in = decoded(step, src, first, n);
            inFirst = in == src ? first : 0;
        }
        if (meter != null && original == src) {
            step.quantizer().quantize(in, inFirst, n, imp, out, meter); // error measured while the rows are cached
        } else {
            step.quantizer().quantize(in, inFirst, n, imp, out);
            if (meter != null) { // GPTQ: measured against the unadjusted weights
                measureAfter(step, original, first, n, out, meter);
            }
        }
        writer.write(index, first * rowBytes, out);
        long crc = crc(out);
        if (!read) {
            release(src.rowBytes(first, n));
        }
        if (original != src) {
            release(original.rowBytes(first, n));
        }
        return new Chunk(crc, out.byteSize(), n * (original.data().byteSize() / original.rows()));
    }

    /** {@code src} itself for float sources; rows {@code [first, first + n)} decoded to floats for quantized ones. */
    private static TensorView decoded(TensorStep step, TensorView src, long first, long n) {
        return step.sourceDecoder() == null ? src : decoded(step, src, src.rowBytes(first, n), first, n);
    }

    /** Rows {@code [first, first + n)} of quantized {@code src}, whose bytes are {@code bytes}, as floats. */
    private static TensorView decoded(TensorStep step, TensorView src, MemorySegment bytes, long first, long n) {
        int rowLength = Math.toIntExact(src.rowLength());
        float[] decoded = new float[Math.toIntExact(n * rowLength)];
        step.sourceDecoder().dequantize(bytes, src.shape(), first, n, decoded);
        return TensorView.ofFloats(src.name(), Shape.of(rowLength, n), decoded);
    }

    /** The error of rows {@code [first, first + n)} of {@code original} against the encoded {@code out}. */
    private static void measureAfter(TensorStep step, TensorView original, long first, long n, MemorySegment out,
                                     RoundTripSink sink) {
        int count = Math.toIntExact(n * original.rowLength());
        float[] before = new float[count];
        float[] restored = new float[count];
        original.readRows(first, Math.toIntExact(n), before, 0);
        step.quantizer().dequantize(out, original.shape(), first, n, restored);
        RoundTripSink.compare(before, 0, restored, 0, count, sink);
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("cancelled");
        }
    }

    private static long crc(MemorySegment bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes.asByteBuffer());
        return c.getValue();
    }

    /**
     * Drops consumed pages of the memory-mapped input from this process's resident set (madvise DONTNEED): they
     * stay in the page cache, so a later read of a shared page costs a minor fault, not disk I/O. Without this,
     * every page of the model read so far counts in the process's RSS until the run ends.
     */
    private static void release(MemorySegment input) {
        if (input.isMapped() && input.byteSize() > 0) {
            input.unload();
        }
    }

    /** Reusable native output and input buffers that grow to the largest chunk they have held. */
    private static final class ChunkBuffer {
        private final GrowingBuffer output = new GrowingBuffer(1L << 20);
        private final GrowingBuffer input = new GrowingBuffer(1L << 20);

        MemorySegment input(long bytes) {
            return input.get(bytes);
        }

        MemorySegment take(long bytes) {
            return output.get(bytes);
        }
    }
}
