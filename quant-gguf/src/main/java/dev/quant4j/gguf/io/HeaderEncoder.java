package dev.quant4j.gguf.io;

import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes a GGUF v3 header (magic, version, counts, metadata, tensor infos; no padding). The same code runs
 * twice: once without a destination to measure the exact size (and validate every value), once into the
 * mapped output file.
 */
final class HeaderEncoder {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment dst;
    private long pos;

    private HeaderEncoder(MemorySegment dst) {
        this.dst = dst;
    }

    /** Exact encoded size; throws IllegalArgumentException naming the key whose value its type cannot hold. */
    static long size(Metadata metadata, List<TensorInfo> tensors) {
        HeaderEncoder e = new HeaderEncoder(null);
        e.header(metadata, tensors);
        return e.pos;
    }

    /** Writes the header at the start of {@code dst}; returns the bytes written. */
    static long write(MemorySegment dst, Metadata metadata, List<TensorInfo> tensors) {
        HeaderEncoder e = new HeaderEncoder(dst);
        e.header(metadata, tensors);
        return e.pos;
    }

    private void header(Metadata metadata, List<TensorInfo> tensors) {
        u32(GgufConstants.MAGIC);
        u32(GgufConstants.VERSION);
        u64(tensors.size());
        u64(metadata.entries().size());
        for (Metadata.Entry e : metadata.entries()) {
            string(e.key());
            u32(e.value().type().id());
            value(e.key(), e.value());
        }
        for (TensorInfo t : tensors) {
            string(t.name());
            u32(t.shape().rank());
            for (long d : t.shape().dims()) {
                u64(d);
            }
            u32(t.type().id());
            u64(t.offset());
        }
    }

    private void value(String key, MetaValue v) {
        switch (v) {
            case MetaValue.Int(MetaType type, long x) -> integer(key, type, x);
            case MetaValue.Real(MetaType type, double x) -> {
                if (type == MetaType.FLOAT64) {
                    u64(Double.doubleToRawLongBits(x));
                } else {
                    float f = (float) x;
                    if (f != x && !Double.isNaN(x)) {
                        throw new IllegalArgumentException("metadata '" + key + "': " + x + " is not a float32 value");
                    }
                    u32(Float.floatToRawIntBits(f));
                }
            }
            case MetaValue.Bool(boolean b) -> u8(b ? 1 : 0);
            case MetaValue.Text(String s) -> string(s);
            case MetaValue.Array(MetaType elementType, List<MetaValue> values) -> {
                u32(elementType.id());
                u64(values.size());
                for (MetaValue element : values) {
                    value(key, element);
                }
            }
        }
    }

    private void integer(String key, MetaType type, long x) {
        long min;
        long max;
        switch (type) {
            case UINT8 -> { min = 0; max = 0xFF; }
            case INT8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
            case UINT16 -> { min = 0; max = 0xFFFF; }
            case INT16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case UINT32 -> { min = 0; max = 0xFFFF_FFFFL; }
            case INT32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; } // 64-bit: the raw bits
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException("metadata '" + key + "': " + x + " does not fit in " + type.label());
        }
        switch (type.fixedSize()) {
            case 1 -> u8((int) x);
            case 2 -> u16((int) x);
            case 4 -> u32((int) x);
            default -> u64(x);
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        if (dst != null) {
            MemorySegment.copy(b, 0, dst, ValueLayout.JAVA_BYTE, pos, b.length);
        }
        pos += b.length;
    }

    private void u8(int v) {
        if (dst != null) {
            dst.set(ValueLayout.JAVA_BYTE, pos, (byte) v);
        }
        pos += 1;
    }

    private void u16(int v) {
        if (dst != null) {
            dst.set(U16, pos, (short) v);
        }
        pos += 2;
    }

    private void u32(int v) {
        if (dst != null) {
            dst.set(U32, pos, v);
        }
        pos += 4;
    }

    private void u64(long v) {
        if (dst != null) {
            dst.set(U64, pos, v);
        }
        pos += 8;
    }
}
