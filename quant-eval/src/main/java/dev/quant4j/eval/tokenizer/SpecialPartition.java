package dev.quant4j.eval.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits special tokens written literally in the text out of it, as llama.cpp's {@code tokenizer_st_partition}:
 * every special token in turn (longest first) is searched in every remaining text fragment, left to right.
 * Without {@code parseSpecial}, control and unknown tokens stay text but user-defined tokens are still split
 * out (as Hugging Face tokenizers do). LSTRIP/RSTRIP tokens swallow the whitespace beside them.
 */
final class SpecialPartition {
    private SpecialPartition() {
    }

    /** @param text the input as a byte string (one char per byte) */
    static List<Fragment> split(Vocabulary v, String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (!text.isEmpty()) {
            fragments.add(Fragment.text(0, text.length()));
        }
        for (int id : v.specialTokens) {
            if (!parseSpecial && v.has(id, TokenAttr.CONTROL | TokenAttr.UNKNOWN)) {
                continue;
            }
            String token = v.text[id];
            if (text.length() < token.length()) {
                continue;
            }
            List<Fragment> next = new ArrayList<>(fragments.size() + 4);
            for (Fragment f : fragments) {
                if (f.isText()) {
                    splitOne(v, text, f, id, token, next);
                } else {
                    next.add(f);
                }
            }
            fragments = next;
        }
        return fragments;
    }

    private static void splitOne(Vocabulary v, String text, Fragment f, int id, String token, List<Fragment> out) {
        int base = f.start();
        int end = f.end();
        while (true) {
            int match = base < end ? text.indexOf(token, base, end) : -1;
            if (match < 0) {
                if (base < end) {
                    out.add(Fragment.text(base, end));
                }
                return;
            }
            int leftEnd = match;
            if (v.has(id, TokenAttr.LSTRIP)) {
                while (leftEnd > base && isSpace(text.charAt(leftEnd - 1))) {
                    leftEnd--;
                }
            }
            if (leftEnd > base) {
                out.add(Fragment.text(base, leftEnd));
            }
            out.add(Fragment.special(id));
            base = match + token.length();
            if (v.has(id, TokenAttr.RSTRIP)) {
                while (base < end && isSpace(text.charAt(base))) {
                    base++;
                }
            }
        }
    }

    /** C's isspace in the "C" locale. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
