package dev.quant4j.safetensors.io;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonException;
import dev.quant4j.api.json.JsonParser;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a safetensors header (u64 LE length, UTF-8 JSON object) against the file it came from,
 * before anything is allocated for tensors: every tensor has a known dtype, a shape of 1 to 4 positive dims
 * (0-D reads as [1]), data_offsets whose length is exactly elements × element size, and the tensors tile the data
 * section with no gap, no overlap and nothing past the end, as the safetensors library requires.
 */
final class HeaderParser {
    /** The safetensors library's own limit on the header (100 MB). */
    static final long MAX_HEADER = 100_000_000L;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private HeaderParser() {
    }

    static SafetensorsHeader read(Path file, MemorySegment data) throws CorruptFormatException {
        long size = data.byteSize();
        if (size < 8) {
            throw new CorruptFormatException(file, 0, "header length", "file of " + size
                    + " bytes is too short for the 8-byte header length");
        }
        long n = data.get(U64, 0);
        if (n < 2 || n > MAX_HEADER || n > size - 8) {
            throw new CorruptFormatException(file, 0, "header length", "header length " + Long.toUnsignedString(n)
                    + " is not between 2 and min(" + MAX_HEADER + ", file size " + size + " - 8)");
        }
        String text;
        try {
            ByteBuffer buf = data.asSlice(8, n).asByteBuffer();
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFormatException(file, 8, "header", "the header is not valid UTF-8");
        }
        JsonValue root;
        try {
            root = JsonParser.parse(text);
        } catch (JsonException e) {
            throw new CorruptFormatException(file, 8 + Math.min(e.offset(), n), "header JSON", e.getMessage());
        }
        if (!(root instanceof JsonValue.Obj obj)) {
            throw new CorruptFormatException(file, 8, "header JSON", "the header is a JSON " + root.kind()
                    + ", not an object");
        }
        long dataOffset = 8 + n;
        long dataSize = size - dataOffset;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : obj.members().entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                metadata = metadata(file, e.getValue());
            } else {
                tensors.add(tensor(file, e.getKey(), e.getValue(), dataSize));
            }
        }
        tensors.sort(Comparator.comparingLong(TensorInfo::offset).thenComparingLong(TensorInfo::byteSize));
        long end = 0;
        for (TensorInfo t : tensors) {
            if (t.offset() != end) {
                throw new CorruptFormatException(file, dataOffset + Math.min(end, dataSize), "tensor '" + t.name() + "'",
                        t.offset() < end ? "data_offsets [" + t.offset() + ", " + (t.offset() + t.byteSize())
                                + ") overlap the previous tensor, which ends at " + end
                                : "data gap: bytes [" + end + ", " + t.offset() + ") belong to no tensor");
            }
            end += t.byteSize();
        }
        if (end != dataSize) {
            throw new CorruptFormatException(file, dataOffset + end, "data section", "tensors cover " + end
                    + " bytes but the data section has " + dataSize);
        }
        return new SafetensorsHeader(metadata, tensors, dataOffset);
    }

    private static Map<String, String> metadata(Path file, JsonValue v) throws CorruptFormatException {
        if (!(v instanceof JsonValue.Obj o)) {
            throw new CorruptFormatException(file, 8, "__metadata__", "must be an object of strings, is a " + v.kind());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
            if (!(e.getValue() instanceof JsonValue.Str s)) {
                throw new CorruptFormatException(file, 8, "__metadata__." + e.getKey(), "value is a "
                        + e.getValue().kind() + "; safetensors metadata values are strings");
            }
            m.put(e.getKey(), s.value());
        }
        return m;
    }

    private static TensorInfo tensor(Path file, String name, JsonValue v, long dataSize) throws CorruptFormatException {
        String field = "tensor '" + name + "'";
        if (name.isEmpty()) {
            throw new CorruptFormatException(file, 8, field, "empty tensor name");
        }
        if (!(v instanceof JsonValue.Obj o)) {
            throw new CorruptFormatException(file, 8, field, "must be an object, is a " + v.kind());
        }
        for (String k : o.members().keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new CorruptFormatException(file, 8, field, "unknown field \"" + k + "\"");
            }
        }
        String dtypeName = o.string("dtype").orElseThrow(() -> new CorruptFormatException(file, 8, field,
                "missing or non-string \"dtype\""));
        DType type = SafetensorsDType.of(dtypeName).orElseThrow(() -> new CorruptFormatException(file, 8, field,
                "dtype " + dtypeName + " is not supported; supported: " + SafetensorsDType.known()));
        List<Long> dims = longs(file, field, "shape", o.array("shape").orElseThrow(() -> new CorruptFormatException(
                file, 8, field, "missing or non-array \"shape\"")));
        List<Long> offsets = longs(file, field, "data_offsets", o.array("data_offsets").orElseThrow(() ->
                new CorruptFormatException(file, 8, field, "missing or non-array \"data_offsets\"")));
        if (offsets.size() != 2) {
            throw new CorruptFormatException(file, 8, field, "data_offsets has " + offsets.size()
                    + " entries, not [begin, end]");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin > end || end > dataSize) {
            throw new CorruptFormatException(file, 8, field, "data_offsets [" + begin + ", " + end
                    + ") are reversed or past the end of the " + dataSize + "-byte data section");
        }
        if (dims.size() > 4) {
            throw new CorruptFormatException(file, 8, field, "shape " + dims + " has " + dims.size()
                    + " dimensions; at most 4 are supported");
        }
        long elements = 1;
        for (long d : dims) {
            if (d == 0) {
                throw new CorruptFormatException(file, 8, field, "shape " + dims + " is empty (a zero dimension);"
                        + " empty tensors are not supported");
            }
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException ex) {
                throw new CorruptFormatException(file, 8, field, "shape " + dims + " overflows 64 bits");
            }
        }
        long want = elements > Long.MAX_VALUE / type.blockBytes() ? -1 : elements * type.blockBytes();
        if (want != end - begin) {
            throw new CorruptFormatException(file, 8, field, "dtype " + dtypeName + " shape " + dims + " needs "
                    + (want < 0 ? "more than 2^63" : String.valueOf(want)) + " bytes but data_offsets [" + begin + ", "
                    + end + ") hold " + (end - begin));
        }
        // safetensors shapes are row-major (slowest first); ggml order is the reverse
        Long[] ne = new Long[Math.max(1, dims.size())];
        ne[0] = 1L;
        for (int i = 0; i < dims.size(); i++) {
            ne[i] = dims.get(dims.size() - 1 - i);
        }
        return new TensorInfo(name, type, new Shape(List.of(ne)), begin, end - begin);
    }

    private static List<Long> longs(Path file, String field, String key, JsonValue.Arr a) throws CorruptFormatException {
        if (a.values().size() > 64) {
            throw new CorruptFormatException(file, 8, field, key + " has " + a.values().size() + " entries");
        }
        List<Long> out = new ArrayList<>();
        for (JsonValue v : a.values()) {
            if (!(v instanceof JsonValue.Num num) || num.asLong().isEmpty() || num.asLong().get() < 0) {
                throw new CorruptFormatException(file, 8, field, key + " holds " + (v instanceof JsonValue.Num n2 ? n2.text()
                        : "a " + v.kind()) + "; expected non-negative integers below 2^63");
            }
            out.add(num.asLong().get());
        }
        return out;
    }
}
