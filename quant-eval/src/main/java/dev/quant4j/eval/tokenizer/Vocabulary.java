package dev.quant4j.eval.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * The vocabulary as llama.cpp's {@code llama_vocab} holds it after loading. Token texts are kept as byte strings
 * (one {@code char} per UTF-8 byte, ISO-8859-1) because llama.cpp matches and merges bytes, not characters.
 * Immutable once built.
 */
final class Vocabulary {
    final VocabType type;
    final String pre;
    final String[] text;
    final float[] score;
    final int[] attr;
    final SpecialIds special;
    final Flags flags;
    /** Special tokens that the text partition looks for, longest text first. */
    final int[] specialTokens;
    final int maxTokenLen;
    private final TokenIndex index;
    /** BPE merges: pair of token ids to rank; {@link #mergeResult} holds the merged token of each rank. */
    final PairTable mergeRanks;
    final int[] mergeResult;
    /** BPE only. */
    final PreTokenizer preTokenizer;

    /** Special token ids; -1 when absent. */
    record SpecialIds(int bos, int eos, int unk, int sep, int pad) {
    }

    /** Behaviour switches read from the metadata or implied by the model and pre-tokenizer. */
    record Flags(boolean addBos, boolean addEos, boolean addSep, boolean addSpacePrefix, boolean ignoreMerges,
                 boolean lowercase, boolean stripAccents) {
    }

    Vocabulary(VocabType type, String pre, String[] text, float[] score, int[] attr, SpecialIds special,
               Flags flags, int[] specialTokens, PairTable mergeRanks, int[] mergeResult, PreTokenizer preTokenizer,
               TokenIndex index) {
        this.type = type;
        this.pre = pre;
        this.text = text;
        this.score = score;
        this.attr = attr;
        this.special = special;
        this.flags = flags;
        this.specialTokens = specialTokens;
        this.mergeRanks = mergeRanks;
        this.mergeResult = mergeResult;
        this.preTokenizer = preTokenizer;
        int max = 0;
        for (String t : text) {
            max = Math.max(max, t.length());
        }
        this.maxTokenLen = max;
        this.index = index;
    }

    int size() {
        return text.length;
    }

    /** The id of the token whose bytes are {@code bytes} (as a byte string), or -1. */
    int id(String bytes) {
        return index.find(bytes, 0, bytes.length());
    }

    /** The id of the token whose bytes are {@code s[from, to)}, or -1. */
    int id(String s, int from, int to) {
        return index.find(s, from, to);
    }

    boolean has(int id, int attribute) {
        return (attr[id] & attribute) != 0;
    }

    static String bytes(String utf16) {
        return new String(utf16.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static byte[] raw(String byteString) {
        return byteString.getBytes(StandardCharsets.ISO_8859_1);
    }
}
