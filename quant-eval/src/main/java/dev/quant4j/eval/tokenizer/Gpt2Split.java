package dev.quant4j.eval.tokenizer;

import static dev.quant4j.eval.tokenizer.CodepointFlags.LETTER;
import static dev.quant4j.eval.tokenizer.CodepointFlags.NUMBER;
import static dev.quant4j.eval.tokenizer.CodepointFlags.WHITESPACE;

/**
 * GPT-2's {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}, hand-coded as
 * llama.cpp does (unicode_regex_split_custom_gpt2), contractions case-sensitive; the same decisions in the same order.
 */
final class Gpt2Split implements Split {
    static final String REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    @Override
    public Ints apply(SplitText text, Ints pieces) {
        Ints out = new Ints(pieces.size() * 4);
        int[] cps = text.cps;
        int[] flags = text.flags();
        int start = 0;
        for (int p = 0; p < pieces.size(); p++) {
            Chunk c = new Chunk(cps, flags, start, start + pieces.get(p));
            start = c.end;
            int pos = c.start;
            while (pos < c.end) {
                int cp = cps[pos];
                int f = flags[pos];
                if (cp == '\'' && pos + 1 < c.end) {
                    int n1 = c.cp(pos + 1);
                    if (n1 == 's' || n1 == 't' || n1 == 'm' || n1 == 'd') {
                        out.add(2);
                        pos += 2;
                        continue;
                    }
                    if (pos + 2 < c.end) {
                        int n2 = c.cp(pos + 2);
                        if ((n1 == 'r' && n2 == 'e') || (n1 == 'v' && n2 == 'e') || (n1 == 'l' && n2 == 'l')) {
                            out.add(3);
                            pos += 3;
                            continue;
                        }
                    }
                }
                int from = pos;
                int f2 = cp == ' ' ? c.flags(pos + 1) : f;
                if ((f2 & LETTER) != 0 || (f2 & NUMBER) != 0) {
                    int cls = f2 & (LETTER | NUMBER);
                    pos += cp == ' ' ? 1 : 0;
                    while ((f2 & cls) != 0) {
                        f2 = c.flags(++pos);
                    }
                    out.add(pos - from);
                    continue;
                }
                if ((f2 & (WHITESPACE | LETTER | NUMBER)) == 0 && f2 != 0) {
                    pos += cp == ' ' ? 1 : 0;
                    while ((f2 & (WHITESPACE | LETTER | NUMBER)) == 0 && f2 != 0) {
                        f2 = c.flags(++pos);
                    }
                    out.add(pos - from);
                    continue;
                }
                int spaces = 0;
                while ((c.flags(pos + spaces) & WHITESPACE) != 0) {
                    spaces++;
                }
                if (spaces > 1 && pos + spaces < c.end) {
                    pos += spaces - 1; // \s+(?!\S): leave the last space to prefix the next word
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

    /** One piece under split: reads outside it give "no code point" and empty flags. */
    record Chunk(int[] cps, int[] allFlags, int start, int end) {
        static final int OUT_OF_RANGE = -1;

        int cp(int pos) {
            return pos >= start && pos < end ? cps[pos] : OUT_OF_RANGE;
        }

        int flags(int pos) {
            return pos >= start && pos < end ? allFlags[pos] : 0;
        }
    }
}
