package dev.quant4j.eval.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece as llama.cpp's {@code llm_tokenizer_wpm_session}: BERT normalisation (first code point of the NFD form,
 * accents dropped, lower case), words split at whitespace and around punctuation and CJK characters, then each
 * word, prefixed with U+2581, is covered greedily by the longest tokens; a word that cannot be covered is UNK.
 */
final class WpmEncoder {
    private static final String PHANTOM_SPACE = "\u00E2\u0096\u0081"; // U+2581 as a byte string

    private final Vocabulary v;

    WpmEncoder(Vocabulary v) {
        this.v = v;
    }

    void encode(byte[] text, int from, int to, Ints out) {
        for (String word : words(Utf8.decode(text, from, to))) {
            String w = PHANTOM_SPACE + word;
            int n = w.length();
            int before = out.size();
            boolean covered = true;
            for (int i = 0; i < n && covered; ) {
                covered = false;
                for (int j = Math.min(n, i + v.maxTokenLen + 1); j > i; j--) {
                    int id = v.id(w, i, j);
                    if (id >= 0) {
                        out.add(id);
                        covered = true;
                        i = j;
                        break;
                    }
                }
            }
            if (!covered) {
                out.truncate(before);
            }
            if (out.size() == before) {
                if (v.special.unk() < 0) { // llama.cpp would emit token -1 here (found by TokenizerFuzzTest)
                    throw new TokenizerException("the vocabulary has no token for a word of the text and no "
                            + "unknown token (tokenizer.ggml.unknown_token_id) to stand for it");
                }
                out.add(v.special.unk());
            }
        }
    }

    /** The normalised words as byte strings. */
    private List<String> words(int[] cps) {
        List<String> words = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        boolean strip = v.flags.stripAccents();
        for (int cp0 : cps) {
            int cp = strip ? firstOfNfd(cp0) : cp0;
            int f = CodepointFlags.of(cp);
            if (CodepointFlags.is(f, CodepointFlags.WHITESPACE)) {
                flush(cur, words);
                continue;
            }
            if (cp == 0 || cp == Utf8.REPLACEMENT || CodepointFlags.is(f, CodepointFlags.CONTROL)) {
                continue;
            }
            if (strip && CodepointFlags.is(f, CodepointFlags.MARK)) {
                continue;
            }
            int c = v.flags.lowercase() ? Character.toLowerCase(cp) : cp;
            if (CodepointFlags.is(f, CodepointFlags.PUNCTUATION)
                    || (cp < 0x7F && CodepointFlags.is(f, CodepointFlags.SYMBOL)) || isChinese(cp)) {
                flush(cur, words);
                Utf8.encode(c, cur);
                flush(cur, words);
            } else {
                Utf8.encode(c, cur);
            }
        }
        flush(cur, words);
        return words;
    }

    private static void flush(ByteArrayOutputStream cur, List<String> words) {
        if (cur.size() > 0) {
            words.add(cur.toString(StandardCharsets.ISO_8859_1));
            cur.reset();
        }
    }

    private static int firstOfNfd(int cp) {
        if (cp < 0xC0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return cp;
        }
        return Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFD).codePointAt(0);
    }

    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
