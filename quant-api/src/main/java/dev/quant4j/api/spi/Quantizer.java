package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.QuantizedTensor;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A configured quantizer: encodes float tensors into its {@link #encoding()} and back.
 * Thread safe: one instance serves every worker thread; no per-call state is kept in fields.
 *
 * <p>Row ranges: a {@link Capability#ROW_INDEPENDENT} quantizer encodes every row alone, in
 * {@code encodedBytes / rows} bytes, so callers may quantize any row range into the matching slice of the
 * output in parallel. Other quantizers are only called with the whole tensor.
 */
public interface Quantizer {
    TensorEncoding encoding();

    /**
     * Exact size of the encoding of a tensor of {@code shape}.
     *
     * @throws dev.quant4j.api.error.QuantException UNSUPPORTED_SHAPE naming {@code tensor} when this
     *         quantizer cannot take the shape (e.g. a row that is not a whole number of blocks)
     */
    long encodedBytes(String tensor, Shape shape);

    /**
     * Encodes rows {@code [firstRow, firstRow + rowCount)} of {@code src} into {@code dst}, which is exactly
     * the bytes of those rows.
     *
     * @param importance per-column importance for these rows (the slice of their expert), or null
     * @throws dev.quant4j.api.error.QuantException NON_FINITE_INPUT naming tensor, row and column;
     *         MISSING_CALIBRATION when the method needs importance and got none
     */
    void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst);

    /**
     * Decodes rows {@code [firstRow, firstRow + rowCount)} whose encoding is {@code encoded} (the same slice
     * convention as {@link #quantize}) into {@code dst[0 .. rowCount * rowLength)}.
     *
     * @throws dev.quant4j.api.error.QuantException UNSUPPORTED_TYPE when the quantizer cannot dequantize
     */
    void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst);

    /**
     * As {@link #quantize(TensorView, long, long, float[], MemorySegment)}, also feeding {@code sink} (when not
     * null) the round-trip error of the rows against {@code src}. Quantizers that can decode while a row is still
     * in cache override this ({@link RowQuantizer} does); the default decodes the rows again afterwards.
     *
     * @throws dev.quant4j.api.error.QuantException UNSUPPORTED_TYPE when {@code sink} is given and the quantizer
     *         cannot dequantize
     */
    default void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst,
                          RoundTripSink sink) {
        quantize(src, firstRow, rowCount, importance, dst);
        if (sink != null) {
            int count = Math.toIntExact(Math.multiplyExact(rowCount, src.rowLength()));
            float[] original = new float[count];
            float[] restored = new float[count];
            src.readRows(firstRow, Math.toIntExact(rowCount), original, 0);
            dequantize(dst, src.shape(), firstRow, rowCount, restored);
            RoundTripSink.compare(original, 0, restored, 0, count, sink);
        }
    }

    /**
     * False while this quantizer runs a much slower start-up form of its kernels (e.g. a scale search before the
     * JIT has compiled its vector form); an engine may then schedule other work first and come back to its
     * tensors later. Only speed depends on it, never the bytes. Default: true.
     */
    default boolean warm() {
        return true;
    }

    /**
     * Values of a row that share their scale parameters and are rounded together (a ggml block, a
     * compressed-tensors group): the unit GPTQ fixes at once. 0 when the quantizer has no such row-local unit
     * (per-row or per-tensor scales, float types).
     */
    default int scaleGroup() {
        return encoding() instanceof TensorEncoding.Ggml g && g.type().blockSize() > 1 ? g.type().blockSize() : 0;
    }

    /** Encodes the whole tensor into a fresh segment owned by {@code arena}. */
    default QuantizedTensor quantize(TensorView src, float[] importance, Arena arena) {
        MemorySegment out = arena.allocate(encodedBytes(src.name(), src.shape()), 16);
        quantize(src, 0, src.rows(), importance, out);
        return new QuantizedTensor(src.name(), encoding(), src.shape(), out);
    }
}
