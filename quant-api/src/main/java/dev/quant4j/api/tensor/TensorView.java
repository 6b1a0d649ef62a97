package dev.quant4j.api.tensor;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A read-only view of one tensor's bytes (usually a slice of a memory-mapped file). Rows of F32, F16,
 * BF16 and F64 tensors read as floats; other types are handed to a dequantizer by the caller.
 */
public final class TensorView {
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final DType type;
    private final Shape shape;
    private final MemorySegment data;
    private final long rowBytes;

    public TensorView(String name, DType type, Shape shape, MemorySegment data) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.shape = Objects.requireNonNull(shape);
        long size = TensorInfo.byteSize(type, shape);
        if (size < 0) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + name + "': row length "
                    + shape.rowLength() + " is not a multiple of " + type.blockSize() + " required by "
                    + type.lowerName());
        }
        if (data.byteSize() != size) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.byteSize()
                    + " bytes of data, " + size + " expected for " + type.lowerName() + " " + shape);
        }
        this.data = data.asReadOnly();
        this.rowBytes = size / shape.rows();
    }

    /** Wraps floats (copied into a fresh heap segment); convenient for tests and small tensors. */
    public static TensorView ofFloats(String name, Shape shape, float[] values) {
        if (values.length != shape.elementCount()) {
            throw new IllegalArgumentException(values.length + " values for shape " + shape);
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        MemorySegment.copy(values, 0, seg, F32, 0, values.length);
        return new TensorView(name, DType.F32, shape, seg);
    }

    public String name() {
        return name;
    }

    public DType type() {
        return type;
    }

    public Shape shape() {
        return shape;
    }

    /** The raw bytes, read-only. */
    public MemorySegment data() {
        return data;
    }

    public long rowLength() {
        return shape.rowLength();
    }

    public long rows() {
        return shape.rows();
    }

    /** Bytes one row takes in this tensor's type. */
    public long rowBytes() {
        return rowBytes;
    }

    /** The raw bytes of rows {@code [first, first + count)}. */
    public MemorySegment rowBytes(long first, long count) {
        return data.asSlice(first * rowBytes, count * rowBytes);
    }

    /**
     * Reads row {@code row} as floats into {@code dst[dstOffset ..]}.
     *
     * @throws QuantException UNSUPPORTED_TYPE for quantized types (dequantize through their quantizer)
     */
    public void readRow(long row, float[] dst, int dstOffset) {
        int n = Math.toIntExact(shape.rowLength());
        long base = row * rowBytes;
        switch (type) {
            case F32 -> MemorySegment.copy(data, F32, base, dst, dstOffset, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOffset + i] = Float.float16ToFloat(data.get(U16, base + 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOffset + i] = Float.intBitsToFloat((data.get(U16, base + 2L * i) & 0xFFFF) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOffset + i] = (float) data.get(F64, base + 8L * i);
                }
            }
            case F8_E4M3, F8_E5M2 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOffset + i] = Fp8.decode(type, data.get(ValueLayout.JAVA_BYTE, base + i));
                }
            }
            default -> throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "tensor '" + name
                    + "': type " + type.lowerName() + " is not a float type; dequantize it first");
        }
    }

    /**
     * Reads rows {@code [first, first + count)} as floats into {@code dst[dstOffset ..]}: the bulk form of
     * {@link #readRow}. F16 and BF16 are copied in pieces into a small staging array and converted from there.
     */
    public void readRows(long first, int count, float[] dst, int dstOffset) {
        readRows(first, count, dst, dstOffset, type == DType.F16 || type == DType.BF16 ? new short[STAGING] : null);
    }

    /** Staging array length of {@link #readRows(long, int, float[], int)}: 8 KiB, a fraction of L1. */
    public static final int STAGING = 4096;

    /**
     * As {@link #readRows(long, int, float[], int)} with the caller's staging array (any length above 0; reused
     * across calls, so bulk readers make no garbage). One bulk copy from the mapping per piece and a conversion
     * loop over a plain array, which the JIT vectorizes (vcvtph2ps for F16): about four times faster than
     * converting through per-element segment reads, whose bounds and alignment checks stop vectorization.
     */
    public void readRows(long first, int count, float[] dst, int dstOffset, short[] staging) {
        int n = Math.toIntExact(Math.multiplyExact(shape.rowLength(), (long) count));
        long base = first * rowBytes;
        switch (type) {
            case F32 -> MemorySegment.copy(data, F32, base, dst, dstOffset, n);
            case F16 -> {
                for (int done = 0; done < n; ) {
                    int m = Math.min(staging.length, n - done);
                    MemorySegment.copy(data, U16, base + 2L * done, staging, 0, m);
                    int o = dstOffset + done;
                    for (int i = 0; i < m; i++) {
                        dst[o + i] = Float.float16ToFloat(staging[i]);
                    }
                    done += m;
                }
            }
            case BF16 -> {
                for (int done = 0; done < n; ) {
                    int m = Math.min(staging.length, n - done);
                    MemorySegment.copy(data, U16, base + 2L * done, staging, 0, m);
                    int o = dstOffset + done;
                    for (int i = 0; i < m; i++) {
                        dst[o + i] = Float.intBitsToFloat(staging[i] << 16);
                    }
                    done += m;
                }
            }
            default -> {
                int rl = Math.toIntExact(shape.rowLength());
                for (int r = 0; r < count; r++) {
                    readRow(first + r, dst, dstOffset + r * rl);
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + type.lowerName() + " " + shape;
    }
}
