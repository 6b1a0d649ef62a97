package dev.quant4j.eval.tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;

/** UTF-8 the lenient way llama.cpp's unicode.cpp handles it (its tokenizers work on bytes, not on Java strings). */
final class Utf8 {
    static final int REPLACEMENT = 0xFFFD;

    private Utf8() {
    }

    /** Sequence length announced by a lead byte (continuation and invalid bytes count as 1). */
    static int sequenceLength(byte lead) {
        int high = (lead & 0xFF) >>> 4;
        return high < 12 ? 1 : high < 14 ? 2 : high == 14 ? 3 : 4;
    }

    /**
     * Code points of {@code bytes[from, to)}; a malformed sequence yields U+FFFD for its first byte and decoding
     * resumes at the next byte. Four-byte forms are decoded without range checks (up to 0x1FFFFF), as llama.cpp does.
     */
    static int[] decode(byte[] bytes, int from, int to) {
        int[] out = new int[to - from];
        int n = 0;
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            int len;
            int cp;
            if (b0 < 0x80) {
                cp = b0;
                len = 1;
            } else if ((b0 & 0x40) == 0) {
                cp = -1;
                len = 1;
            } else if ((b0 & 0x20) == 0) {
                len = 2;
                cp = cont(bytes, i, to, 1) ? ((b0 & 0x1F) << 6) | (bytes[i + 1] & 0x3F) : -1;
            } else if ((b0 & 0x10) == 0) {
                len = 3;
                cp = cont(bytes, i, to, 2)
                        ? ((b0 & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F) : -1;
            } else if ((b0 & 0x08) == 0) {
                len = 4;
                cp = cont(bytes, i, to, 3) ? ((b0 & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12)
                        | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F) : -1;
            } else {
                cp = -1;
                len = 1;
            }
            if (cp < 0) {
                out[n++] = REPLACEMENT;
                i++;
            } else {
                out[n++] = cp;
                i += len;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static boolean cont(byte[] b, int i, int to, int count) {
        if (i + count >= to) {
            return false;
        }
        for (int k = 1; k <= count; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Writes the UTF-8 form of {@code cp} at {@code buf[at]} (room for 4 bytes needed); returns the new end. */
    static int encode(int cp, byte[] buf, int at) {
        if (cp < 0x80) {
            buf[at] = (byte) cp;
            return at + 1;
        }
        if (cp < 0x800) {
            buf[at] = (byte) (0xC0 | (cp >> 6));
            buf[at + 1] = (byte) (0x80 | (cp & 0x3F));
            return at + 2;
        }
        if (cp < 0x10000) {
            buf[at] = (byte) (0xE0 | (cp >> 12));
            buf[at + 1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[at + 2] = (byte) (0x80 | (cp & 0x3F));
            return at + 3;
        }
        if (cp <= 0x10FFFF) {
            buf[at] = (byte) (0xF0 | (cp >> 18));
            buf[at + 1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[at + 2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[at + 3] = (byte) (0x80 | (cp & 0x3F));
            return at + 4;
        }
        throw new TokenizerException(String.format(Locale.ROOT, "text holds a UTF-8 sequence decoding to 0x%X, beyond "
                + "U+10FFFF; llama.cpp refuses such text too", cp));
    }

    /** Appends the UTF-8 form of {@code cp} (up to U+10FFFF). */
    static void encode(int cp, ByteArrayOutputStream out) {
        byte[] b = new byte[4];
        out.write(b, 0, encode(cp, b, 0));
    }
}
