package dev.quant4j.eval.model;

import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.io.GrowingBuffer;
import dev.quant4j.api.io.RegionReader;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;

/**
 * A weight matrix of {@code rows} output rows of {@code cols} inputs, still in the mapped file: a 2-D tensor, or
 * one expert's slice of a 3-D {@code *_exps} tensor. Rows are decoded on demand (F32/F16/BF16 directly,
 * other types through the registry's dequantizer for the type). When the reader says where the tensor lies in its
 * file, the matmul's tiles are read from the file into a thread's buffer instead ({@link #storedRows}).
 */
final class Matrix {
    private final TensorView view;
    private final Quantizer decoder;
    private final FileRegion region;
    private final RegionReader files;
    private final long rowBase;
    private final int rows;
    private final int cols;
    private final int expert;

    Matrix(TensorView view, Quantizer decoder, int expert, int rows) {
        this(view, decoder, expert, rows, null, null);
    }

    /** @param region where the view's bytes lie in a file, read through {@code files}; null: the mapping only */
    Matrix(TensorView view, Quantizer decoder, int expert, int rows, FileRegion region, RegionReader files) {
        this.view = view;
        this.decoder = decoder;
        this.region = region;
        this.files = files;
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

    /**
     * Rows {@code [first, first + count)} as stored, from byte 0 of the segment returned: read from the file into
     * {@code buffer}, or (no file region, or a null buffer) a slice of the mapping. For kernels that read encoded
     * rows themselves.
     */
    MemorySegment storedRows(int first, int count, GrowingBuffer buffer) {
        long start = (rowBase + first) * view.rowBytes();
        long bytes = count * view.rowBytes();
        if (region == null || buffer == null) {
            return view.data().asSlice(start, bytes);
        }
        MemorySegment rows = buffer.get(bytes);
        try {
            files.read(region, start, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("tensor '" + view.name() + "': " + e.getMessage(), e);
        }
        return rows;
    }

    long rowBytes() {
        return view.rowBytes();
    }

    /**
     * {@link #read(int, int, float[])} for a matmul tile: quantized rows are read from the file into {@code buffer}
     * first when the reader said where they lie (and {@code buffer} is not null).
     */
    void read(int first, int count, float[] dst, GrowingBuffer buffer) {
        if (decoder == null || region == null || buffer == null) {
            read(first, count, dst);
        } else {
            decoder.dequantize(storedRows(first, count, buffer), view.shape(), rowBase + first, count, dst);
        }
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
