package dev.quant4j.eval.model;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;

/**
 * A weight matrix of {@code rows} output rows of {@code cols} inputs, still in the mapped file: a 2-D tensor, or
 * one expert's slice of a 3-D {@code *_exps} tensor. Rows are decoded on demand (F32/F16/BF16 directly,
 * other types through the registry's dequantizer for the type).
 */
final class Matrix {
    private final TensorView view;
    private final Quantizer decoder;
    private final long rowBase;
    private final int rows;
    private final int cols;
    private final int expert;

    Matrix(TensorView view, Quantizer decoder, int expert, int rows) {
        this.view = view;
        this.decoder = decoder;
        this.expert = expert;
        this.rows = rows;
        this.cols = Math.toIntExact(view.rowLength());
        this.rowBase = expert < 0 ? 0 : (long) expert * rows;
    }

    String name() {
        return view.name();
    }

    /** Expert index of a {@code *_exps} slice, -1 for a dense matrix. */
    int expert() {
        return expert;
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    DType type() {
        return view.type();
    }

    /** The mapped bytes, for kernels that read F16 rows themselves ({@link #byteOffset}, {@link #rowBytes}). */
    MemorySegment data() {
        return view.data();
    }

    /** Where row {@code row} of this matrix starts in {@link #data()}. */
    long byteOffset(int row) {
        return (rowBase + row) * view.rowBytes();
    }

    long rowBytes() {
        return view.rowBytes();
    }

    /** Decodes rows {@code [first, first + count)} into {@code dst[0 .. count * cols)}. */
    void read(int first, int count, float[] dst) {
        long r = rowBase + first;
        if (decoder == null) {
            view.readRows(r, count, dst, 0);
        } else {
            decoder.dequantize(view.rowBytes(r, count), view.shape(), r, count, dst);
        }
    }
}
