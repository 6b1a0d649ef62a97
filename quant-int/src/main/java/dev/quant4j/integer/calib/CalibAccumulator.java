package dev.quant4j.integer.calib;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.TensorActivationStats;
import java.util.Objects;

/**
 * Running statistics of one tensor's activation rows, batch after batch, in memory that does not grow with the
 * number of batches: count, min, max, mean and variance (Welford, in double), per-column sums of squares (for
 * {@link TensorActivationStats}) and an |x| histogram for quantiles. Not thread safe; one per tensor.
 */
public final class CalibAccumulator {
    private final String tensor;
    private final int columns;
    private final ClipMethod method;
    private final double p;
    private final double[] columnSquares;
    private final AbsHistogram histogram = new AbsHistogram();
    private long rows;
    private long count;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private double mean;
    private double m2;

    /**
     * @param tensor  the weight tensor these activations enter (for messages and stats)
     * @param columns values per activation row
     * @param method  what the suggested scale clips to
     * @param p       the quantile of |x| to report, in (0, 1]
     */
    public CalibAccumulator(String tensor, int columns, ClipMethod method, double p) {
        this.tensor = Objects.requireNonNull(tensor);
        this.method = Objects.requireNonNull(method);
        if (columns <= 0) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + columns + " columns");
        }
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in (0, 1], got " + p);
        }
        this.columns = columns;
        this.p = p;
        this.columnSquares = new double[columns];
    }

    public String tensor() {
        return tensor;
    }

    public int columns() {
        return columns;
    }

    /** Activation rows observed so far. */
    public long rows() {
        return rows;
    }

    /**
     * Adds {@code rowCount} rows of {@code columns} values from {@code x[off ..]}, row-major. Refuses NaN and
     * infinity naming the row (counted from the first row ever added) and column; nothing of the batch is
     * added when it fails.
     */
    public void add(float[] x, int off, int rowCount) {
        if (rowCount <= 0) {
            throw new IllegalArgumentException("tensor '" + tensor + "': empty batch (" + rowCount + " rows)");
        }
        long values = (long) rowCount * columns;
        if (off < 0 || off + values > x.length) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + rowCount + " rows of " + columns
                    + " values from offset " + off + " do not fit in " + x.length + " values");
        }
        for (int i = 0; i < values; i++) {
            if (!Float.isFinite(x[off + i])) {
                throw new QuantException(ErrorCode.NON_FINITE_INPUT, "tensor '" + tensor + "': activation " + x[off + i]
                        + " at row " + (rows + i / columns) + ", column " + i % columns);
            }
        }
        for (int i = 0; i < values; i++) {
            float v = x[off + i];
            min = Math.min(min, v);
            max = Math.max(max, v);
            count++;
            double d = v - mean;
            mean += d / count;
            m2 += d * (v - mean);
            columnSquares[i % columns] += (double) v * v;
            histogram.add(v);
        }
        rows += rowCount;
    }

    /** The statistics so far. */
    public CalibStats stats() {
        if (count == 0) {
            throw new IllegalStateException("tensor '" + tensor + "': no activations observed");
        }
        float absQ = histogram.quantile(p);
        float clip = method == ClipMethod.MIN_MAX ? Math.max(Math.abs(min), Math.abs(max)) : absQ;
        return new CalibStats(count, min, max, mean, Math.sqrt(m2 / count), p, absQ, clip / 127f);
    }

    /** Per-column mean of squares over the rows observed, as an importance matrix holds them. */
    public TensorActivationStats activationStats() {
        if (rows == 0) {
            throw new IllegalStateException("tensor '" + tensor + "': no activations observed");
        }
        float[] ms = new float[columns];
        for (int c = 0; c < columns; c++) {
            ms[c] = (float) (columnSquares[c] / rows);
        }
        return TensorActivationStats.of(tensor, columns, rows, ms);
    }
}
