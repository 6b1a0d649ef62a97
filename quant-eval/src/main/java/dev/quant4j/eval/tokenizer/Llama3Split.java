package dev.quant4j.eval.tokenizer;

import static dev.quant4j.eval.tokenizer.CodepointFlags.LETTER;
import static dev.quant4j.eval.tokenizer.CodepointFlags.NUMBER;
import static dev.quant4j.eval.tokenizer.CodepointFlags.WHITESPACE;

/**
 * Llama 3's {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|
 * \s*[\r\n]+|\s+(?!\S)|\s+} and Qwen2's variant with single digits ({@code \p{N}}), hand-coded as llama.cpp does
 * (unicode_regex_split_custom_llama3 / _qwen2), including where that code departs from the regex.
 */
final class Llama3Split implements Split {
    static final String LLAMA3_REGEX = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?"
            + "\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2_REGEX = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?"
            + "\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private final int maxDigits;

    /** @param maxDigits 3 for Llama 3, 1 for Qwen2 */
    Llama3Split(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    public Ints apply(SplitText text, Ints pieces) {
        Ints out = new Ints(pieces.size() * 4);
        int[] cps = text.cps;
        int[] flags = text.flags();
        int start = 0;
        for (int p = 0; p < pieces.size(); p++) {
            Gpt2Split.Chunk c = new Gpt2Split.Chunk(cps, flags, start, start + pieces.get(p));
            start = c.end();
            int pos = c.start();
            while (pos < c.end()) {
                int cp = cps[pos];
                int f = flags[pos];
                int from = pos;
                if (cp == '\'' && pos + 1 < c.end()) {
                    int n1 = Character.toLowerCase(c.cp(pos + 1));
                    if (n1 == 's' || n1 == 't' || n1 == 'm' || n1 == 'd') {
                        out.add(2);
                        pos += 2;
                        continue;
                    }
                    if (pos + 2 < c.end()) {
                        int n2 = Character.toLowerCase(c.cp(pos + 2));
                        if ((n1 == 'r' && n2 == 'e') || (n1 == 'v' && n2 == 'e') || (n1 == 'l' && n2 == 'l')) {
                            out.add(3);
                            pos += 3;
                            continue;
                        }
                    }
                }
                if (!(cp == '\r' || cp == '\n' || (f & NUMBER) != 0)
                        && ((f & LETTER) != 0 || (c.flags(pos + 1) & LETTER) != 0)) {
                    pos++;
                    while ((c.flags(pos) & LETTER) != 0) {
                        pos++;
                    }
                    out.add(pos - from);
                    continue;
                }
                if ((f & NUMBER) != 0) {
                    while ((c.flags(pos) & NUMBER) != 0 && pos - from < maxDigits) {
                        pos++;
                    }
                    out.add(pos - from); // the rest of a longer run is the next piece
                    continue;
                }
                int f2 = cp == ' ' ? c.flags(pos + 1) : f;
                if ((f2 & (WHITESPACE | LETTER | NUMBER)) == 0 && f != 0) {
                    pos += cp == ' ' ? 1 : 0;
                    while ((f2 & (WHITESPACE | LETTER | NUMBER)) == 0 && f2 != 0) {
                        f2 = c.flags(++pos);
                    }
                    int c2 = c.cp(pos);
                    while (c2 == '\r' || c2 == '\n') {
                        c2 = c.cp(++pos);
                    }
                    out.add(pos - from);
                    continue;
                }
                int spaces = 0;
                int afterLastNewline = -1;
                while ((c.flags(pos + spaces) & WHITESPACE) != 0) {
                    int c2 = c.cp(pos + spaces);
                    if (c2 == '\r' || c2 == '\n') {
                        afterLastNewline = pos + spaces + 1;
                    }
                    spaces++;
                }
                if (afterLastNewline >= 0) {
                    pos = afterLastNewline; // \s*[\r\n]+
                } else if (spaces > 1 && pos + spaces < c.end()) {
                    pos += spaces - 1; // \s+(?!\S)
                } else if (spaces > 0) {
                    pos += spaces;
                } else {
                    pos++;
                }
                out.add(pos - from);
            }
        }
        return out;
    }
}
