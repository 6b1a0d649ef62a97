package dev.quant4j.eval.tokenizer;

import java.util.Arrays;

/**
 * Token text to id, looked up by a range of a byte string without building a substring (the merge loops ask
 * for every adjacent pair). Open addressing over the token texts' range hashes.
 */
final class TokenIndex {
    private final String[] text;
    private final int[] slots;
    private final int[] hashes;
    private final int mask;
    /** The first id whose text repeats an earlier id's ({@link #repeatedId}), or -1. */
    final int repeatId;
    /** The earlier id that {@link #repeatId} repeats, or -1. */
    final int repeatedId;

    TokenIndex(String[] text) {
        this.text = text;
        int cap = Integer.highestOneBit(Math.max(4, text.length) * 2 - 1) << 1;
        slots = new int[cap];
        hashes = new int[cap];
        mask = cap - 1;
        Arrays.fill(slots, -1);
        int repeat = -1;
        int repeated = -1;
        for (int id = 0; id < text.length; id++) {
            String t = text[id];
            int h = hash(t, 0, t.length());
            int i = h & mask;
            while (slots[i] >= 0) {
                if (hashes[i] == h && text[slots[i]].equals(t)) {
                    if (repeat < 0) {
                        repeat = id;
                        repeated = slots[i];
                    }
                    break; // a repeated text keeps its first id (the loader refuses repeats)
                }
                i = (i + 1) & mask;
            }
            if (slots[i] < 0) {
                slots[i] = id;
                hashes[i] = h;
            }
        }
        repeatId = repeat;
        repeatedId = repeated;
    }

    /** The id of the token whose text is {@code s[from, to)}, or -1. */
    int find(String s, int from, int to) {
        int h = hash(s, from, to);
        int len = to - from;
        int i = h & mask;
        while (slots[i] >= 0) {
            if (hashes[i] == h) {
                String t = text[slots[i]];
                if (t.length() == len && t.regionMatches(0, s, from, len)) {
                    return slots[i];
                }
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The id of the token whose text is byte string {@code bytes}, or -1. */
    int find(String bytes) {
        return find(bytes, 0, bytes.length());
    }

    /** As {@link #find(String)}, null when absent. */
    Integer get(String bytes) {
        int id = find(bytes);
        return id < 0 ? null : id;
    }

    private static int hash(String s, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ s.charAt(i)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
