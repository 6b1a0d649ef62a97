package dev.quant4j.eval.tokenizer;

import java.util.Locale;

/**
 * SentencePiece BPE as llama.cpp's {@code llm_tokenizer_spm_session}: start from UTF-8 characters, repeatedly
 * merge the adjacent pair whose concatenation is the highest-scoring token (leftmost on ties), then emit each
 * piece's token, or its bytes as {@code <0xNN>} byte tokens when the piece is not a token.
 */
final class SpmEncoder {
    private final Vocabulary v;
    private final int[] byteToken = new int[256];
    /** Whether no token of two or more bytes holds a newline: then a newline never merges (see {@link #cutAfter}). */
    final boolean newlineIsBarrier;

    SpmEncoder(Vocabulary v) {
        this.v = v;
        String hex = "0123456789ABCDEF";
        for (int b = 0; b < 256; b++) { // "<0x%02X>", without 256 cold String.format calls on the start path
            int id = v.id("<0x" + hex.charAt(b >> 4) + hex.charAt(b & 15) + ">");
            byteToken[b] = id >= 0 ? id : v.id(String.valueOf((char) b));
        }
        boolean barrier = true;
        for (String t : v.text) {
            if (t.length() > 1 && t.indexOf('\n') >= 0) {
                barrier = false;
                break;
            }
        }
        this.newlineIsBarrier = barrier;
    }

    /**
     * Whether the merge loop may run on {@code raw[from, p)} and {@code raw[p, ...)} apart (raw, unescaped bytes of
     * one text fragment) with the same pieces as on the whole: true when the byte before {@code p} is a newline that
     * is a character of its own and no token can merge it ({@link #newlineIsBarrier}). A merge joins two adjacent
     * pieces into a token, so no piece ever grows across such a newline, and the loop's order restricted to one side
     * (best score, then leftmost) is the order that side has alone. The newline starts a character unless a lead
     * byte within the 3 bytes before it announces a longer sequence (each escaped space, U+2581, is itself
     * a whole 3-byte character), hence the three ASCII bytes asked for before it.
     */
    boolean cutAfter(String raw, int from, int p) {
        if (!newlineIsBarrier || p - 1 <= from || raw.charAt(p - 1) != '\n') {
            return false;
        }
        for (int k = Math.max(from, p - 4); k < p - 1; k++) {
            if (raw.charAt(k) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Tokenizes byte string {@code text} (spaces already escaped as U+2581) into {@code out}. */
    void encode(String text, Ints out) {
        int len = text.length();
        if (len == 0) {
            return;
        }
        int[] start = new int[len];
        int[] size = new int[len];
        int[] prev = new int[len];
        int[] next = new int[len];
        int n = 0;
        for (int offs = 0; offs < len; n++) {
            int s = Math.min(Utf8.sequenceLength((byte) text.charAt(offs)), len - offs);
            start[n] = offs;
            size[n] = s;
            prev[n] = n - 1;
            offs += s;
            next[n] = offs == len ? -1 : n + 1;
        }
        BigramHeap heap = new BigramHeap();
        for (int i = 1; i < n; i++) {
            tryAdd(text, start, size, i - 1, i, heap);
        }
        while (!heap.isEmpty()) {
            int left = BigramHeap.left(heap.topKey());
            int queued = heap.topSize();
            heap.pop();
            int right = next[left];
            if (size[left] == 0 || right < 0 || size[right] == 0 || size[left] + size[right] != queued) {
                continue; // one side was merged since this pair was queued
            }
            size[left] += size[right];
            size[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            tryAdd(text, start, size, prev[left], left, heap);
            tryAdd(text, start, size, left, next[left], heap);
        }
        for (int i = 0; i != -1; i = next[i]) {
            int id = v.id(text, start[i], start[i] + size[i]);
            if (id >= 0) {
                out.add(id);
            } else {
                for (int k = start[i]; k < start[i] + size[i]; k++) {
                    out.add(byteToken(text.charAt(k)));
                }
            }
        }
    }

    private void tryAdd(String text, int[] start, int[] size, int left, int right, BigramHeap heap) {
        if (left < 0 || right < 0) {
            return;
        }
        int id = v.id(text, start[left], start[right] + size[right]);
        if (id >= 0) {
            heap.push(BigramHeap.scoreKey(v.score[id], left), size[left] + size[right]);
        }
    }

    private int byteToken(char b) {
        int id = byteToken[b];
        if (id < 0) {
            throw new TokenizerException(String.format(Locale.ROOT, "the vocabulary has no token for byte 0x%02X "
                    + "(neither <0x%02X> nor the byte itself), which the text needs", (int) b, (int) b));
        }
        return id;
    }
}
