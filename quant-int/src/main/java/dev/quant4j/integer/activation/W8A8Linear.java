package dev.quant4j.integer.activation;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A W8A8 linear layer {@code y = W x}: int8 weights in [-127, 127] with one F32 scale per output row, the
 * activation quantized to int8 on the fly (one scale per vector), products summed in int32 and rescaled once
 * per row: {@code y[r] = (sum_c qw[r][c] * qx[c]) * sw[r] * sx} (the rescale in double, rounded once).
 * Immutable and thread safe.
 *
 * <p>The int32 sum cannot overflow: |qw * qx| <= 127 * 127 and rows are at most {@link #MAX_COLS} long.
 */
public final class W8A8Linear {
    /** Longest row whose int32 sum of 127 * 127 products cannot overflow. */
    public static final int MAX_COLS = Integer.MAX_VALUE / (127 * 127);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int rows;
    private final int cols;
    private final byte[] weights;
    private final float[] rowScales;
    private final DynamicQuantizer activation;

    private W8A8Linear(int rows, int cols, byte[] weights, float[] rowScales, ScaleRule activationRule) {
        this.rows = rows;
        this.cols = cols;
        this.weights = weights;
        this.rowScales = rowScales;
        this.activation = new DynamicQuantizer(ActivationScheme.INT8_PER_ROW, Objects.requireNonNull(activationRule));
    }

    /** Quantizes float weights ({@code rows x cols}, row-major) per row: {@code sw = max|w| / 127}. */
    public static W8A8Linear quantize(float[] w, int rows, int cols, ScaleRule activationRule) {
        checkCols(cols);
        DynamicQuantizer.checkShape(rows, cols, w.length, "weights");
        DynamicQuantizer.checkFinite(w, 0, w.length);
        byte[] q = new byte[w.length];
        float[] s = new float[rows];
        for (int r = 0; r < rows; r++) {
            float amax = 0f;
            for (int c = 0; c < cols; c++) {
                amax = Math.max(amax, Math.abs(w[r * cols + c]));
            }
            // an all-zero row keeps scale 0: its codes are 0 and its outputs exactly 0
            s[r] = amax / 127f;
            if (s[r] != 0f) {
                DynamicQuantizer.encode(w, r * cols, cols, s[r], 127, q, r * cols);
            }
        }
        return new W8A8Linear(rows, cols, q, s, activationRule);
    }

    /** Wraps int8 codes and per-row scales (copied); codes must be in [-127, 127], scales finite and >= 0. */
    public static W8A8Linear of(byte[] codes, float[] rowScales, int rows, int cols, ScaleRule activationRule) {
        checkCols(cols);
        DynamicQuantizer.checkShape(rows, cols, codes.length, "weight codes");
        if (rowScales.length != rows) {
            throw new IllegalArgumentException(rows + " rows need " + rows + " scales, got " + rowScales.length);
        }
        for (int r = 0; r < rows; r++) {
            if (!(rowScales[r] >= 0f) || !Float.isFinite(rowScales[r])) {
                throw new IllegalArgumentException("weight scale of row " + r + " is " + rowScales[r]
                        + "; scales must be finite and >= 0");
            }
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == Byte.MIN_VALUE) {
                throw new IllegalArgumentException("weight code -128 at row " + i / cols + ", column " + i % cols
                        + "; symmetric int8 uses [-127, 127]");
            }
        }
        return new W8A8Linear(rows, cols, codes.clone(), rowScales.clone(), activationRule);
    }

    /**
     * Reads the {@code int8} quantizer's per-row encoding (each row: F32 scale, then {@code cols} codes)
     * of a {@code rows x cols} weight.
     */
    public static W8A8Linear fromInt8PerRow(MemorySegment encoded, int rows, int cols, ScaleRule activationRule) {
        checkCols(cols);
        long rb = 4L + cols;
        if (rows <= 0 || encoded.byteSize() != rb * rows) {
            throw new IllegalArgumentException("an int8/per-row encoding of " + rows + " x " + cols + " holds "
                    + rb * rows + " bytes, got " + encoded.byteSize());
        }
        byte[] codes = new byte[Math.multiplyExact(rows, cols)];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            scales[r] = encoded.get(F32, r * rb);
            MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, r * rb + 4, codes, r * cols, cols);
        }
        return of(codes, scales, rows, cols, activationRule);
    }

    private static void checkCols(int cols) {
        if (cols > MAX_COLS) {
            throw new IllegalArgumentException("rows of " + cols + " values could overflow the int32 sum; at most "
                    + MAX_COLS + " are supported");
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public float rowScale(int row) {
        return rowScales[row];
    }

    /** {@code y = W x}, quantizing {@code x} with a dynamic int8 scale; returns the activation scale used. */
    public float matVec(float[] x, float[] y) {
        if (x.length != cols || y.length != rows) {
            throw new IllegalArgumentException("W is " + rows + " x " + cols + ": x needs " + cols + " values (got "
                    + x.length + ") and y " + rows + " (got " + y.length + ")");
        }
        return matVec(x, 0, y, 0, new byte[cols], activation.rule().needsScratch() ? new float[cols] : null);
    }

    /**
     * {@code Y = X W^T} for {@code tokens} activation rows (row-major {@code tokens x cols}), each row with its
     * own dynamic scale; {@code Y} is {@code tokens x rows}.
     */
    public void matMul(float[] x, int tokens, float[] y) {
        DynamicQuantizer.checkShape(tokens, cols, x.length, "activations");
        if (y.length != (long) tokens * rows) {
            throw new IllegalArgumentException("output needs " + (long) tokens * rows + " values, got " + y.length);
        }
        byte[] qx = new byte[cols];
        float[] scratch = activation.rule().needsScratch() ? new float[cols] : null;
        for (int t = 0; t < tokens; t++) {
            matVec(x, t * cols, y, t * rows, qx, scratch);
        }
    }

    private float matVec(float[] x, int xOff, float[] y, int yOff, byte[] qx, float[] scratch) {
        DynamicQuantizer.checkFinite(x, xOff, cols);
        float sx = activation.scaleFor(x, xOff, cols, scratch);
        DynamicQuantizer.encode(x, xOff, cols, sx, 127, qx, 0);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int acc = 0;
            for (int c = 0; c < cols; c++) {
                acc += weights[base + c] * qx[c];
            }
            // int32 sums past 2^24 are not exact in float: rescale in double, round once
            y[yOff + r] = (float) (acc * ((double) rowScales[r] * sx));
        }
        return sx;
    }
}
