package dev.quant4j.integer.activation;

import java.util.Arrays;
import java.util.Objects;

/**
 * A quantized activation matrix: {@code rows x cols} integer codes (one per byte) and their scales (one, or one
 * per row). Immutable: the arrays are private copies.
 */
public final class QuantizedActivations {
    private final ActivationScheme scheme;
    private final int rows;
    private final int cols;
    private final byte[] codes;
    private final float[] scales;

    QuantizedActivations(ActivationScheme scheme, int rows, int cols, byte[] codes, float[] scales) {
        this.scheme = scheme;
        this.rows = rows;
        this.cols = cols;
        this.codes = codes;
        this.scales = scales;
    }

    /**
     * Wraps codes and scales computed elsewhere (copied); validates the code range and that scales are
     * finite and positive.
     */
    public static QuantizedActivations of(ActivationScheme scheme, int rows, int cols, byte[] codes, float[] scales) {
        Objects.requireNonNull(scheme);
        DynamicQuantizer.checkShape(rows, cols, codes.length, "codes");
        int want = scheme.perRow() ? rows : 1;
        if (scales.length != want) {
            throw new IllegalArgumentException(scheme + " needs " + want + " scales, got " + scales.length);
        }
        for (int i = 0; i < scales.length; i++) {
            DynamicQuantizer.checkScale(scales[i], i);
        }
        for (int i = 0; i < codes.length; i++) {
            if (Math.abs(codes[i]) > scheme.qmax()) {
                throw new IllegalArgumentException("code " + codes[i] + " at element " + i + " is outside [-"
                        + scheme.qmax() + ", " + scheme.qmax() + "] of " + scheme);
            }
        }
        return new QuantizedActivations(scheme, rows, cols, codes.clone(), scales.clone());
    }

    public ActivationScheme scheme() {
        return scheme;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public byte code(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return codes[row * cols + col];
    }

    /** The scale of {@code row} (the single scale for per-tensor schemes). */
    public float scale(int row) {
        Objects.checkIndex(row, rows);
        return scales[scheme.perRow() ? row : 0];
    }

    public byte[] codes() {
        return codes.clone();
    }

    public float[] scales() {
        return scales.clone();
    }

    /** {@code code * scale} for every element, row-major. */
    public float[] dequantize() {
        float[] out = new float[rows * cols];
        dequantizeInto(out);
        return out;
    }

    public void dequantizeInto(float[] dst) {
        if (dst.length < rows * cols) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, " + rows * cols + " needed");
        }
        for (int r = 0; r < rows; r++) {
            float s = scales[scheme.perRow() ? r : 0];
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                dst[base + c] = codes[base + c] * s;
            }
        }
    }

    /** Mean of {@code |x - dequantized(x)|} over every element of {@code original} (same shape, row-major). */
    public double meanAbsError(float[] original) {
        if (original.length != rows * cols) {
            throw new IllegalArgumentException("original has " + original.length + " values, the quantized matrix "
                    + rows + " x " + cols + " = " + rows * cols);
        }
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            float s = scales[scheme.perRow() ? r : 0];
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                sum += Math.abs((double) original[base + c] - codes[base + c] * s);
            }
        }
        return sum / original.length;
    }

    @Override
    public String toString() {
        return scheme + " " + rows + "x" + cols + " scales " + Arrays.toString(scales.length > 8
                ? Arrays.copyOf(scales, 8) : scales);
    }
}
