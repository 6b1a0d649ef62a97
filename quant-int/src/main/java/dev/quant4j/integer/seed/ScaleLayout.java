package dev.quant4j.integer.seed;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.Shape;
import java.util.Objects;

/**
 * Where the F32 scales of a symmetric one-byte-per-value layout go and how many bytes it takes.
 *
 * <ul>
 *   <li>per-tensor: one scale, then every code row after row: {@code 4 + rows * n} bytes;</li>
 *   <li>per-row: each row is its scale then its {@code n} codes: {@code rows * (4 + n)} bytes;</li>
 *   <li>per-group: each row is its {@code n / g} scales then its {@code n} codes:
 *       {@code rows * (4 * n / g + n)} bytes; {@code n} must be a multiple of {@code g}.</li>
 * </ul>
 *
 * @param granularity who shares a scale
 * @param groupSize   values per group for per-group, 0 otherwise
 */
public record ScaleLayout(Granularity granularity, int groupSize) {
    public ScaleLayout {
        Objects.requireNonNull(granularity, "granularity must be one of per-tensor, per-row, per-group");
        if (granularity == Granularity.PER_GROUP && groupSize < 1) {
            throw new IllegalArgumentException("group-size must be >= 1 for granularity per-group, got " + groupSize);
        }
        if (granularity != Granularity.PER_GROUP && groupSize != 0) {
            throw new IllegalArgumentException("group-size (" + groupSize
                    + ") only applies to granularity per-group, not " + granularity.label());
        }
    }

    /** Report name of the layout, e.g. {@code per-row} or {@code per-group-32}. */
    public String label() {
        return granularity == Granularity.PER_GROUP ? "per-group-" + groupSize : granularity.label();
    }

    /** True when any row range can be encoded alone into its own slice. */
    public boolean rowIndependent() {
        return granularity != Granularity.PER_TENSOR;
    }

    /** Scales stored in front of each row (0 for per-tensor, whose single scale heads the tensor). */
    public int scalesPerRow(int n) {
        return switch (granularity) {
            case PER_TENSOR -> 0;
            case PER_ROW -> 1;
            case PER_GROUP -> n / groupSize;
        };
    }

    /** Values sharing one scale within a row of {@code n}. */
    public int valuesPerScale(int n) {
        return granularity == Granularity.PER_GROUP ? groupSize : n;
    }

    /** Bytes of one row of {@code n} values (codes and the row's own scales). */
    public long rowBytes(int n) {
        return 4L * scalesPerRow(n) + n;
    }

    /** Exact encoded size; refuses rows that are not whole groups, naming the tensor. */
    public long encodedBytes(String method, String tensor, Shape shape) {
        long n = shape.rowLength();
        if (granularity == Granularity.PER_GROUP && n % groupSize != 0) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + tensor + "': row length " + n
                    + " is not a multiple of group size " + groupSize + " required by " + method + "/" + label()
                    + "; pick a group size that divides " + n + " or another granularity");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + tensor + "': row length " + n
                    + " is too long for " + method);
        }
        long body = Math.multiplyExact(rowBytes((int) n), shape.rows());
        return granularity == Granularity.PER_TENSOR ? body + 4 : body;
    }
}
