package dev.quant4j.eval.tokenizer;

/**
 * The code points of one text fragment and the derived views the pre-tokenizer splits work on: per-code-point
 * flags, llama.cpp's "collapsed" text (one char per code point, non-ASCII replaced by a category stand-in) and the
 * plain text with non-ASCII whitespace replaced by a vertical tab. Views are built on first use.
 */
final class SplitText {
    /** Stand-ins of the collapsed text (llama.cpp unicode.cpp): whitespace, other, N, L, P, M, S. */
    static final char WS = 0x0B;
    static final char OTHER = 0xD0;
    static final char NUMBER = 0xD1;
    static final char LETTER = 0xD2;
    static final char PUNCT = 0xD3;
    static final char MARK = 0xD4;
    static final char SYMBOL = 0xD5;

    final int[] cps;
    private int[] flags;
    private String collapsed;
    private String wide;
    private int[] charStart;
    private int[] cpAtChar;

    SplitText(int[] cps) {
        this.cps = cps;
    }

    int length() {
        return cps.length;
    }

    int[] flags() {
        if (flags == null) {
            flags = new int[cps.length];
            for (int i = 0; i < cps.length; i++) {
                flags[i] = CodepointFlags.of(cps[i]);
            }
        }
        return flags;
    }

    /** One char per code point: ASCII as is, others by category (a category is one of the seven stand-ins). */
    String collapsed() {
        if (collapsed == null) {
            int[] f = flags();
            char[] c = new char[cps.length];
            for (int i = 0; i < cps.length; i++) {
                int cp = cps[i];
                if (cp < 128) {
                    c[i] = (char) cp;
                } else if (CodepointFlags.is(f[i], CodepointFlags.WHITESPACE)) {
                    c[i] = WS;
                } else {
                    c[i] = switch (f[i] & CodepointFlags.CATEGORY_MASK) {
                        case CodepointFlags.NUMBER -> NUMBER;
                        case CodepointFlags.LETTER -> LETTER;
                        case CodepointFlags.PUNCTUATION -> PUNCT;
                        case CodepointFlags.MARK -> MARK;
                        case CodepointFlags.SYMBOL -> SYMBOL;
                        default -> OTHER;
                    };
                }
            }
            collapsed = new String(c);
        }
        return collapsed;
    }

    /**
     * The text itself for regexes without categories (llama.cpp's std::wregex path): non-ASCII whitespace becomes a
     * vertical tab, and surrogate code points (which no such regex names) a noncharacter, so that Java never pairs them.
     */
    String wide() {
        if (wide == null) {
            StringBuilder b = new StringBuilder(cps.length + 16);
            charStart = new int[cps.length + 1];
            for (int i = 0; i < cps.length; i++) {
                charStart[i] = b.length();
                int cp = cps[i];
                if (cp > 0x7F && CodepointFlags.isWhitespace(cp)) {
                    b.append(WS);
                } else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
                    b.append('\uFFFF');
                } else {
                    b.appendCodePoint(cp);
                }
            }
            charStart[cps.length] = b.length();
            wide = b.toString();
            cpAtChar = new int[wide.length() + 1];
            for (int i = 0; i < cps.length; i++) {
                for (int c = charStart[i]; c < charStart[i + 1]; c++) {
                    cpAtChar[c] = i;
                }
            }
            cpAtChar[wide.length()] = cps.length;
        }
        return wide;
    }

    /** Char index in {@link #wide()} where code point {@code cp} starts. */
    int wideChar(int cp) {
        wide();
        return charStart[cp];
    }

    /** Code point index of char {@code c} of {@link #wide()}. */
    int wideCodepoint(int c) {
        wide();
        return cpAtChar[c];
    }
}
