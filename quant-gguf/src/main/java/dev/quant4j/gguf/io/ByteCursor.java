package dev.quant4j.gguf.io;

import dev.quant4j.api.error.CorruptFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Little-endian reads from a mapped file with every length checked against the bytes left before anything
 * is read or allocated. Failures are {@link CorruptFormatException}s naming the file, the offset at which the
 * field starts and the field.
 */
final class ByteCursor {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment data;
    private final long size;
    private long pos;
    /** Strict: malformed UTF-8 is corrupt rather than silently replaced (a rewrite must reproduce the bytes). */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    ByteCursor(Path file, MemorySegment data) {
        this.file = file;
        this.data = data;
        this.size = data.byteSize();
    }

    Path file() {
        return file;
    }

    long position() {
        return pos;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - pos;
    }

    CorruptFormatException corrupt(long offset, String field, String problem) {
        return new CorruptFormatException(file, offset, field, problem);
    }

    /** Fails unless {@code n} more bytes exist. */
    void require(long n, String field) throws CorruptFormatException {
        if (n < 0 || n > size - pos) {
            throw corrupt(pos, field, "needs " + Long.toUnsignedString(n) + " bytes but the file ends after "
                    + (size - pos) + " more (truncated file?)");
        }
    }

    int u8(String field) throws CorruptFormatException {
        require(1, field);
        return data.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    int u16(String field) throws CorruptFormatException {
        require(2, field);
        int v = data.get(U16, pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    /** A uint32 as a non-negative long. */
    long u32(String field) throws CorruptFormatException {
        require(4, field);
        long v = data.get(U32, pos) & 0xFFFF_FFFFL;
        pos += 4;
        return v;
    }

    /** The raw 64 bits; callers decide whether the value is signed. */
    long u64(String field) throws CorruptFormatException {
        require(8, field);
        long v = data.get(U64, pos);
        pos += 8;
        return v;
    }

    /** A gguf_string: uint64 byte length, then that many bytes of strict UTF-8. */
    String string(String field, long maxBytes) throws CorruptFormatException {
        long start = pos;
        if (size - pos < 8) {
            require(8, field + " length"); // throws; the field name is only built on failure
        }
        long len = data.get(U64, pos);
        pos += 8;
        if (len < 0 || len > maxBytes) {
            throw corrupt(start, field, "string length " + Long.toUnsignedString(len) + " exceeds the limit of "
                    + maxBytes + " bytes");
        }
        if (len > size - pos) {
            throw corrupt(start, field, "string length " + len + " exceeds the " + (size - pos)
                    + " bytes left in the file");
        }
        byte[] bytes = new byte[(int) len];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, bytes, 0, bytes.length);
        pos += len;
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return utf8.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(start, field, "string of " + len + " bytes is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
