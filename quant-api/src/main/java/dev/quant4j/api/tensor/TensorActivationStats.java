package dev.quant4j.api.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Per-column activation statistics of one weight tensor, as an importance matrix holds them: for each of
 * {@code slices} slices (experts of a MoE tensor, else 1) the mean squared activation of every column.
 *
 * @param tensor      the weight tensor the statistics belong to
 * @param columns     values per slice (the weight's row length)
 * @param slices      number of slices
 * @param count       activation rows observed (0 when the source does not say)
 * @param meanSquares read-only F32 values, {@code slices * columns} of them, slice-major
 */
public record TensorActivationStats(String tensor, int columns, int slices, long count, MemorySegment meanSquares) {
    public TensorActivationStats {
        Objects.requireNonNull(tensor);
        if (columns <= 0 || slices <= 0) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + columns + " columns, " + slices + " slices");
        }
        if (meanSquares.byteSize() != 4L * columns * slices) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + meanSquares.byteSize()
                    + " bytes of statistics, " + 4L * columns * slices + " expected");
        }
        meanSquares = meanSquares.asReadOnly();
    }

    public static TensorActivationStats of(String tensor, int columns, long count, float[] meanSquares) {
        int slices = meanSquares.length / columns;
        MemorySegment seg = MemorySegment.ofArray(meanSquares.clone());
        return new TensorActivationStats(tensor, columns, slices, count, seg);
    }

    /** The importance row of slice {@code slice} (a fresh array of {@code columns} values). */
    public float[] slice(int slice) {
        Objects.checkIndex(slice, slices);
        float[] out = new float[columns];
        MemorySegment.copy(meanSquares, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * slice * columns, out, 0, columns);
        return out;
    }
}
