package dev.quant4j.eval.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's byte-level alphabet: every byte is shown as a printable code point (itself for {@code !..~}, {@code ¡..¬},
 * {@code ®..ÿ}; 256, 257, ... for the rest, in byte order), so that BPE tokens are printable strings.
 */
final class ByteLevel {
    private static final int[] CODEPOINT = new int[256];
    private static final int[] BYTE_OF = new int[512];
    private static final String[] TOKEN = new String[256];

    static {
        Arrays.fill(BYTE_OF, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            CODEPOINT[b] = printable ? b : 256 + extra++;
            BYTE_OF[CODEPOINT[b]] = b;
            int cp = CODEPOINT[b];
            TOKEN[b] = cp < 0x80 ? String.valueOf((char) cp)
                    : new String(new char[] {(char) (0xC0 | (cp >> 6)), (char) (0x80 | (cp & 0x3F))});
        }
    }

    private ByteLevel() {
    }

    static int codepoint(int b) {
        return CODEPOINT[b & 0xFF];
    }

    /** The byte code point {@code cp} stands for, or -1 when it is not in the alphabet. */
    static int byteOf(int cp) {
        return cp >= 0 && cp < BYTE_OF.length ? BYTE_OF[cp] : -1;
    }

    /** The byte string (UTF-8 bytes, one char each) of byte {@code b}'s code point. */
    static String token(int b) {
        return TOKEN[b & 0xFF];
    }
}
