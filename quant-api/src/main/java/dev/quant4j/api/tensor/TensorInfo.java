package dev.quant4j.api.tensor;

import java.util.Objects;

/**
 * A tensor as a container lists it. {@code offset} is relative to the container's data section,
 * {@code byteSize} follows from type and shape.
 */
public record TensorInfo(String name, DType type, Shape shape, long offset, long byteSize) {
    public TensorInfo {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(shape);
    }

    /** The block (layer) number N of a {@code blk.N.*} tensor name, -1 for names outside the blocks. */
    public static int layerOf(String name) {
        if (!name.startsWith("blk.")) {
            return -1;
        }
        int end = name.indexOf('.', 4);
        try {
            return Integer.parseInt(name.substring(4, end < 0 ? name.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Bytes a tensor of this type and shape takes, or -1 when its rows are not whole blocks. */
    public static long byteSize(DType type, Shape shape) {
        long row = type.rowBytes(shape.rowLength());
        return row < 0 ? -1 : Math.multiplyExact(row, shape.rows());
    }
}
