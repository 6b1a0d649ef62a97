package dev.quant4j.importance.cost;

import dev.quant4j.api.tensor.TensorView;

/**
 * The rows of a tensor the weighted-error estimator round-trips: all of them when the tensor holds at most
 * {@code maxElements} values, else {@code n = max(minRows, maxElements / rowLength)} rows taken systematically
 * (row {@code floor((i + 0.5) · rows / n)} for i &lt; n: evenly spread, deterministic, every expert of a MoE tensor
 * represented in proportion). Rows are read as floats, grouped by slice (expert) so each group is quantized with
 * its own importance row.
 *
 * @param rows        the tensor's row count
 * @param rowLength   values per row
 * @param rowIndex    the sampled rows, ascending
 * @param values      their values, {@code rowIndex.length × rowLength}
 */
record RowSample(long rows, int rowLength, long[] rowIndex, float[] values) {
    static final int MIN_ROWS = 64;

    static RowSample of(TensorView view, long maxElements) {
        long rows = view.rows();
        int n = Math.toIntExact(view.rowLength());
        long want = Math.max(MIN_ROWS, maxElements / n);
        int count = (int) Math.min(rows, want);
        long[] idx = new long[count];
        float[] values = new float[Math.multiplyExact(count, n)];
        if (count == rows) {
            for (int i = 0; i < count; i++) {
                idx[i] = i;
            }
            view.readRows(0, count, values, 0);
        } else {
            for (int i = 0; i < count; i++) {
                idx[i] = (long) ((i + 0.5) * rows / count);
                view.readRow(idx[i], values, i * n);
            }
        }
        return new RowSample(rows, n, idx, values);
    }

    int count() {
        return rowIndex.length;
    }

    boolean complete() {
        return rowIndex.length == rows;
    }

    /** Rows per sampled row: the factor that scales a sample sum to the whole tensor. */
    double scale() {
        return (double) rows / rowIndex.length;
    }
}
