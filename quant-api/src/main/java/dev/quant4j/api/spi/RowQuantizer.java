package dev.quant4j.api.spi;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Base of block quantizers whose rows are encoded independently into whole blocks (every ggml type).
 * It does the contract work once: shape checks, reading rows as floats, refusing non-finite input and
 * missing importance, moving bytes between the caller's segments and per-call row buffers; subclasses
 * only encode and decode one row of plain arrays.
 */
public abstract class RowQuantizer implements Quantizer {
    /**
     * Floats converted per batch of rows (128 KiB of floats, at least one row): small enough that the batch
     * stays in the core's L2 cache between conversion, the finite check and encoding.
     */
    private static final int BATCH_ELEMENTS = 1 << 15;

    private final TensorEncoding encoding;
    private final String typeName;
    private final int blockSize;
    private final int blockBytes;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    protected RowQuantizer(DType type) {
        this(new TensorEncoding.Ggml(type), type.blockSize(), type.blockBytes());
    }

    protected RowQuantizer(TensorEncoding encoding, int blockSize, int blockBytes) {
        this.encoding = encoding;
        this.typeName = encoding.name();
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /**
     * Encodes one row.
     *
     * @param x          the row ({@code n} floats, a multiple of the block size), finite
     * @param importance per-column importance of this row, or null
     * @param out        destination; the row's bytes start at {@code outOffset}
     */
    protected abstract void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset);

    /**
     * Encodes the row at {@code rows[rowOffset .. rowOffset + n)} (a batch of converted rows; read, never
     * write it). The default copies the row out and calls {@link #quantizeRow(float[], int, float[], byte[], int)};
     * subclasses that can read in place override this to skip the copy.
     */
    protected void quantizeRowAt(float[] rows, int rowOffset, int n, float[] importance, byte[] out, int outOffset) {
        quantizeRow(Arrays.copyOfRange(rows, rowOffset, rowOffset + n), n, importance, out, outOffset);
    }

    /**
     * As {@link #quantizeRowAt}, and also writes what {@link #dequantizeRow} would give for the encoded row into
     * {@code restored[0 .. n)}, computed while the row is in registers (the round-trip error then needs no decode
     * of the bytes). Returns false, having done nothing, when this quantizer has no such form for these arguments;
     * the row is then encoded and decoded separately. Default: false.
     */
    protected boolean quantizeRowRestoring(float[] rows, int rowOffset, int n, float[] importance, byte[] out,
                                           int outOffset, float[] restored) {
        return false;
    }

    /** Decodes one row of {@code n} values from {@code src[srcOffset ..]} into {@code dst[dstOffset ..]}. */
    protected abstract void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n);

    /**
     * Adds the squared error of {@code restored[0 .. n)} against {@code original[from ..]} to {@code sums[0]} and
     * the squared signal to {@code sums[1]}, in double. Subclasses may override it with a faster (vectorized)
     * form that differs only in the order of the additions.
     */
    protected void addRoundTripError(float[] original, int from, float[] restored, int n, double[] sums) {
        RoundTripSink.compare(original, from, restored, 0, n, (e, sq, c) -> {
            sums[0] += e;
            sums[1] += sq;
        });
    }

    /** True when the method refuses to run without importance data. */
    protected boolean requiresImportance() {
        return false;
    }

    @Override
    public final TensorEncoding encoding() {
        return encoding;
    }

    public final int blockSize() {
        return blockSize;
    }

    /** Bytes of one row of {@code rowLength} values; fails naming the tensor when not whole blocks. */
    public final long rowBytes(String tensor, long rowLength) {
        if (rowLength % blockSize != 0) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + tensor + "': row length " + rowLength
                    + " is not a multiple of " + blockSize + " required by " + typeName);
        }
        return rowLength / blockSize * blockBytes;
    }

    @Override
    public final long encodedBytes(String tensor, Shape shape) {
        return Math.multiplyExact(rowBytes(tensor, shape.rowLength()), shape.rows());
    }

    @Override
    public final void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst) {
        quantize(src, firstRow, rowCount, importance, dst, null);
    }

    /**
     * Encodes the rows in batches that stay in the core's L2 cache; with a {@code sink}, each encoded row is
     * decoded right away (or restored by the encoder, {@link #quantizeRowRestoring}) and compared with its source
     * floats while both are still cached.
     */
    @Override
    public final void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst,
                               RoundTripSink sink) {
        int n = Math.toIntExact(src.rowLength());
        int rb = Math.toIntExact(rowBytes(src.name(), n));
        if (importance == null && requiresImportance()) {
            throw new QuantException(ErrorCode.MISSING_CALIBRATION, "tensor '" + src.name() + "': " + typeName
                    + " needs an importance matrix (imatrix) and none was given for this tensor");
        }
        if (importance != null && importance.length != n) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "tensor '" + src.name() + "': importance row has "
                    + importance.length + " values, the tensor's rows have " + n);
        }
        if (dst.byteSize() != rowCount * rb) {
            throw new IllegalArgumentException("tensor '" + src.name() + "': destination holds " + dst.byteSize()
                    + " bytes, " + rowCount * rb + " needed for " + rowCount + " rows");
        }
        // rows are converted and encoded in batches: one bulk read and one bulk write per batch
        int batch = (int) Math.max(1, Math.min(rowCount, BATCH_ELEMENTS / n));
        Scratch s = scratch.get().ensure(batch * n, batch * rb, sink == null ? 0 : n);
        float[] rows = s.rows;
        byte[] out = s.out;
        for (long r0 = 0; r0 < rowCount; r0 += batch) {
            int m = (int) Math.min(batch, rowCount - r0);
            src.readRows(firstRow + r0, m, rows, 0, s.staging);
            checkFinite(src.name(), firstRow + r0, n, rows, m * n);
            Arrays.fill(out, 0, m * rb, (byte) 0);
            double[] sums = s.sums;
            sums[0] = 0;
            sums[1] = 0;
            for (int i = 0; i < m; i++) {
                if (sink == null) {
                    quantizeRowAt(rows, i * n, n, importance, out, i * rb);
                    continue;
                }
                // the row's error while it is cached: restored by the encoder itself, else decoded from its bytes
                if (!quantizeRowRestoring(rows, i * n, n, importance, out, i * rb, s.restored)) {
                    quantizeRowAt(rows, i * n, n, importance, out, i * rb);
                    dequantizeRow(out, i * rb, s.restored, 0, n);
                }
                addRoundTripError(rows, i * n, s.restored, n, sums);
            }
            MemorySegment.copy(out, 0, dst, ValueLayout.JAVA_BYTE, r0 * rb, m * rb);
            if (sink != null) {
                sink.add(sums[0], sums[1], (long) m * n); // one (synchronized) add per batch
            }
        }
    }

    /** One worker thread's batch buffers, reused across calls (they only grow) so encoding makes no garbage. */
    private static final class Scratch {
        float[] rows = new float[0];
        byte[] out = new byte[0];
        float[] restored = new float[0];
        final short[] staging = new short[TensorView.STAGING];
        final double[] sums = new double[2];

        Scratch ensure(int floats, int bytes, int restoredFloats) {
            if (rows.length < floats) {
                rows = new float[floats];
            }
            if (out.length < bytes) {
                out = new byte[bytes];
            }
            if (restored.length < restoredFloats) {
                restored = new float[restoredFloats];
            }
            return this;
        }
    }

    @Override
    public final void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst) {
        int n = Math.toIntExact(shape.rowLength());
        int rb = Math.toIntExact(rowBytes("?", n));
        byte[] in = new byte[rb];
        for (long r = 0; r < rowCount; r++) {
            MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, r * rb, in, 0, rb);
            dequantizeRow(in, 0, dst, Math.toIntExact(r * n), n);
        }
    }

    /**
     * Index of the first NaN or infinity in {@code x[from .. from+count)}, or -1. Subclasses may override it
     * with a faster (vectorized) scan giving the same answer.
     */
    protected int firstNonFinite(float[] x, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Float.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }

    private void checkFinite(String tensor, long firstRow, int n, float[] x, int count) {
        int i = firstNonFinite(x, 0, count);
        if (i >= 0) {
            throw new QuantException(ErrorCode.NON_FINITE_INPUT, "tensor '" + tensor + "': " + x[i]
                    + " at row " + (firstRow + i / n) + ", column " + i % n
                    + "; fix or drop the weights before quantizing");
        }
    }
}
