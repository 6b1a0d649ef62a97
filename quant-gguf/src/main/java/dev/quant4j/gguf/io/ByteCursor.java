package dev.quant4j.gguf.io;

import dev.quant4j.api.error.CorruptFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Little-endian reads from a mapped file with every length checked against the bytes left before anything
 * is read or allocated. Failures are {@link CorruptFormatException}s naming the file, the offset at which the
 * field starts and the field.
 *
 * <p>Reads go through a heap copy of the next {@link #WINDOW} bytes: a header is parsed once, at start-up, before
 * the JIT has compiled anything, and one interpreted {@code MemorySegment.get} costs hundreds of bytecodes (the
 * access-mode checks of its var handle) where an array read costs one; a 32000-token vocabulary is ~100000 values.
 */
final class ByteCursor {
    /** Bytes copied from the mapping at a time (a header's metadata is typically 0.1 to 10 MB). */
    static final int WINDOW = 1 << 20;

    private final Path file;
    private final MemorySegment data;
    private final long size;
    private long pos;
    /** A copy of {@code data[windowStart, windowStart + windowLength)}. */
    private final byte[] window;
    private long windowStart;
    private int windowLength;

    ByteCursor(Path file, MemorySegment data) {
        this.file = file;
        this.data = data;
        this.size = data.byteSize();
        this.window = new byte[(int) Math.min(WINDOW, size)];
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

    /**
     * The index in {@link #window} of {@code pos}, after refilling the window so that it holds {@code n <= WINDOW}
     * bytes from {@code pos} (the caller checked that they exist).
     */
    private int at(int n) {
        long offset = pos - windowStart;
        if (offset < 0 || offset + n > windowLength) {
            windowStart = pos;
            windowLength = (int) Math.min(window.length, size - pos);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, window, 0, windowLength);
            offset = 0;
        }
        return (int) offset;
    }

    int u8(String field) throws CorruptFormatException {
        require(1, field);
        int v = window[at(1)] & 0xFF;
        pos++;
        return v;
    }

    int u16(String field) throws CorruptFormatException {
        require(2, field);
        int i = at(2);
        pos += 2;
        return (window[i] & 0xFF) | (window[i + 1] & 0xFF) << 8;
    }

    /** A uint32 as a non-negative long. */
    long u32(String field) throws CorruptFormatException {
        require(4, field);
        int i = at(4);
        pos += 4;
        return int32(i) & 0xFFFF_FFFFL;
    }

    /** The raw 64 bits; callers decide whether the value is signed. */
    long u64(String field) throws CorruptFormatException {
        require(8, field);
        int i = at(8);
        pos += 8;
        return int64(i);
    }

    private long int64(int i) {
        return int32(i) & 0xFFFF_FFFFL | (long) int32(i + 4) << 32;
    }

    private int int32(int i) {
        byte[] w = window;
        return (w[i] & 0xFF) | (w[i + 1] & 0xFF) << 8 | (w[i + 2] & 0xFF) << 16 | w[i + 3] << 24;
    }

    /** A gguf_string: uint64 byte length, then that many bytes of strict UTF-8 (malformed: corrupt, never replaced). */
    String string(String field, long maxBytes) throws CorruptFormatException {
        long start = pos;
        if (size - pos < 8) {
            require(8, field + " length"); // throws; the field name is only built on failure
        }
        long len = int64(at(8));
        pos += 8;
        if (len < 0 || len > maxBytes) {
            throw corrupt(start, field, "string length " + Long.toUnsignedString(len) + " exceeds the limit of "
                    + maxBytes + " bytes");
        }
        if (len > size - pos) {
            throw corrupt(start, field, "string length " + len + " exceeds the " + (size - pos)
                    + " bytes left in the file");
        }
        int n = (int) len;
        byte[] bytes;
        int from;
        if (n <= window.length) {
            bytes = window;
            from = at(n);
        } else {
            bytes = new byte[n];
            from = 0;
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, bytes, 0, n);
        }
        pos += len;
        if (!isStrictUtf8(bytes, from, from + n)) {
            throw corrupt(start, field, "string of " + len + " bytes is not valid UTF-8");
        }
        return new String(bytes, from, n, StandardCharsets.UTF_8); // lenient decoding, of bytes known to be valid
    }

    /**
     * Whether {@code b[from, to)} is well-formed UTF-8 as the JDK's strict decoder sees it: no stray continuation
     * byte, no overlong form, no surrogate, nothing above U+10FFFF, no truncated sequence. Checked here rather than
     * by a {@code CharsetDecoder}, whose buffers cost far more per string while the header is parsed interpreted.
     */
    static boolean isStrictUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                i++;
            } else if (b0 < 0xC2) {
                return false; // a continuation byte, or the lead of an overlong 2-byte form
            } else if (b0 < 0xE0) {
                if (i + 1 >= to || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (b0 < 0xF0) {
                if (i + 2 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                    return false;
                }
                int b1 = b[i + 1] & 0xFF;
                if (b0 == 0xE0 && b1 < 0xA0 || b0 == 0xED && b1 >= 0xA0) {
                    return false; // overlong, or a surrogate
                }
                i += 3;
            } else if (b0 < 0xF5) {
                if (i + 3 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                int b1 = b[i + 1] & 0xFF;
                if (b0 == 0xF0 && b1 < 0x90 || b0 == 0xF4 && b1 >= 0x90) {
                    return false; // overlong, or above U+10FFFF
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
