package dev.quant4j.gguf.io;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes metadata values of every GGUF type, arrays of strings and arrays of arrays included. Counts are
 * checked against the bytes left and against {@link ReadLimits} before a list is allocated; the budgets are
 * per file.
 */
final class MetadataDecoder {
    private final ByteCursor in;
    private long values;
    private long stringBytes;

    MetadataDecoder(ByteCursor in) {
        this.in = in;
    }

    /** A value type id; unknown ids are corrupt. */
    MetaType type(String field) throws CorruptFormatException {
        long at = in.position();
        long id = in.u32(field);
        return MetaType.fromId(id).orElseThrow(() -> in.corrupt(at, field,
                "unknown metadata value type " + id + " (known types are 0..12)"));
    }

    MetaValue value(MetaType type, String field, int depth) throws CorruptFormatException {
        countValues(1, field);
        return switch (type) {
            case UINT8 -> new MetaValue.Int(type, in.u8(field));
            case INT8 -> new MetaValue.Int(type, (byte) in.u8(field));
            case UINT16 -> new MetaValue.Int(type, in.u16(field));
            case INT16 -> new MetaValue.Int(type, (short) in.u16(field));
            case UINT32 -> new MetaValue.Int(type, in.u32(field));
            case INT32 -> new MetaValue.Int(type, (int) in.u32(field));
            case UINT64, INT64 -> new MetaValue.Int(type, in.u64(field));
            case FLOAT32 -> new MetaValue.Real(type, Float.intBitsToFloat((int) in.u32(field)));
            case FLOAT64 -> new MetaValue.Real(type, Double.longBitsToDouble(in.u64(field)));
            case BOOL -> bool(field);
            case STRING -> text(field);
            case ARRAY -> array(field, depth);
        };
    }

    /** A string counted against the per-file string budget. */
    String string(String field) throws CorruptFormatException {
        long at = in.position();
        String s = in.string(field, ReadLimits.MAX_STRING_BYTES);
        stringBytes += in.position() - at - 8;
        if (stringBytes > ReadLimits.MAX_METADATA_STRING_BYTES) {
            throw in.corrupt(at, field, "metadata strings exceed " + ReadLimits.MAX_METADATA_STRING_BYTES
                    + " bytes in total; refusing the file");
        }
        return s;
    }

    private MetaValue bool(String field) throws CorruptFormatException {
        long at = in.position();
        int b = in.u8(field);
        if (b > 1) {
            throw in.corrupt(at, field, "bool byte is " + b + "; only 0 and 1 are valid");
        }
        return new MetaValue.Bool(b == 1);
    }

    private MetaValue text(String field) throws CorruptFormatException {
        return new MetaValue.Text(string(field));
    }

    private MetaValue array(String field, int depth) throws CorruptFormatException {
        long at = in.position();
        MetaType elementType = type(field + " element type");
        if (elementType == MetaType.ARRAY && depth + 1 >= ReadLimits.MAX_ARRAY_DEPTH) {
            throw in.corrupt(at, field, "arrays nested more than " + ReadLimits.MAX_ARRAY_DEPTH + " deep");
        }
        long countAt = in.position();
        long count = in.u64(field + " element count");
        long minBytes = switch (elementType) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> elementType.fixedSize();
        };
        if (count < 0 || count > ReadLimits.MAX_ARRAY_ELEMENTS) {
            throw in.corrupt(countAt, field, "array count " + Long.toUnsignedString(count)
                    + " exceeds the limit of " + ReadLimits.MAX_ARRAY_ELEMENTS);
        }
        if (count > in.remaining() / minBytes) {
            throw in.corrupt(countAt, field, "array of " + count + " " + elementType.label()
                    + " values needs at least " + count * minBytes + " bytes but only " + in.remaining() + " remain");
        }
        countValues(count, field);
        values -= count; // counted again, one by one, as each element is decoded
        List<MetaValue> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            out.add(value(elementType, field, depth + 1));
        }
        return new MetaValue.Array(elementType, out);
    }

    private void countValues(long n, String field) throws CorruptFormatException {
        if (n > ReadLimits.MAX_METADATA_VALUES - values) {
            throw in.corrupt(in.position(), field, "metadata holds more than " + ReadLimits.MAX_METADATA_VALUES
                    + " values; refusing the file");
        }
        values += n;
    }
}
