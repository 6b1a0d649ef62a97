package dev.quant4j.eval.tokenizer;

/**
 * Unicode classification exactly as llama.cpp 34af94cd sees it (its generated {@code unicode-data.cpp}): the
 * general category of Unicode 15.1 folded into one flag, the White_Space property, and simple lower-case mapping.
 * Java 25 knows Unicode 16.0, so the code points that 16.0 added are reported as unassigned here, as llama.cpp does.
 */
final class CodepointFlags {
    static final int UNDEFINED = 0x0001;
    static final int NUMBER = 0x0002;
    static final int LETTER = 0x0004;
    static final int SEPARATOR = 0x0008;
    static final int MARK = 0x0010;
    static final int PUNCTUATION = 0x0020;
    static final int SYMBOL = 0x0040;
    static final int CONTROL = 0x0080;
    static final int CATEGORY_MASK = 0x00FF;
    static final int WHITESPACE = 0x0100;

    /** Inclusive ranges assigned in Unicode 16.0 (absent from llama.cpp's 15.1 tables). */
    private static final int[] UNICODE_16_ADDITIONS = {
        0x897, 0x897, 0x1B4E, 0x1B4F, 0x1B7F, 0x1B7F, 0x1C89, 0x1C8A, 0x2427, 0x2429, 0x31E4, 0x31E5,
        0xA7CB, 0xA7CD, 0xA7DA, 0xA7DC, 0x105C0, 0x105F3, 0x10D40, 0x10D65, 0x10D69, 0x10D85, 0x10D8E, 0x10D8F,
        0x10EC2, 0x10EC4, 0x10EFC, 0x10EFC, 0x11380, 0x11389, 0x1138B, 0x1138B, 0x1138E, 0x1138E, 0x11390, 0x113B5,
        0x113B7, 0x113C0, 0x113C2, 0x113C2, 0x113C5, 0x113C5, 0x113C7, 0x113CA, 0x113CC, 0x113D5, 0x113D7, 0x113D8,
        0x113E1, 0x113E2, 0x116D0, 0x116E3, 0x11BC0, 0x11BE1, 0x11BF0, 0x11BF9, 0x11F5A, 0x11F5A, 0x13460, 0x143FA,
        0x16100, 0x16139, 0x16D40, 0x16D79, 0x18CFF, 0x18CFF, 0x1CC00, 0x1CCF9, 0x1CD00, 0x1CEB3, 0x1E5D0, 0x1E5FA,
        0x1E5FF, 0x1E5FF, 0x1F8B2, 0x1F8BB, 0x1F8C0, 0x1F8C1, 0x1FA89, 0x1FA89, 0x1FA8F, 0x1FA8F, 0x1FABE, 0x1FABE,
        0x1FAC6, 0x1FAC6, 0x1FADC, 0x1FADC, 0x1FADF, 0x1FADF, 0x1FAE9, 0x1FAE9, 0x1FBCB, 0x1FBEF,
    };

    private CodepointFlags() {
    }

    /** The flags of code point {@code cp}; any value outside Unicode (e.g. an over-long UTF-8 decode) is undefined. */
    static int of(int cp) {
        if (cp < 0 || cp > 0x10FFFF) {
            return UNDEFINED;
        }
        int flags = category(cp);
        return isWhitespace(cp) ? flags | WHITESPACE : flags;
    }

    /** The White_Space property (PropList.txt), which is what llama.cpp's {@code \s} means. */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    static boolean is(int flags, int flag) {
        return (flags & flag) != 0;
    }

    private static int category(int cp) {
        if (cp >= 0x897 && isUnicode16Addition(cp)) {
            return UNDEFINED;
        }
        return switch (Character.getType(cp)) {
            case Character.UNASSIGNED -> UNDEFINED;
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> CONTROL;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> SYMBOL;
            default -> PUNCTUATION; // Pc, Pd, Ps, Pe, Pi, Pf, Po
        };
    }

    private static boolean isUnicode16Addition(int cp) {
        for (int i = 0; i < UNICODE_16_ADDITIONS.length; i += 2) {
            if (cp < UNICODE_16_ADDITIONS[i]) {
                return false;
            }
            if (cp <= UNICODE_16_ADDITIONS[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
