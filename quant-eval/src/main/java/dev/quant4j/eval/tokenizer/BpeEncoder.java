package dev.quant4j.eval.tokenizer;

/**
 * Byte-level BPE as llama.cpp's {@code llm_tokenizer_bpe_session}: the pre-tokenizer cuts the text into words;
 * each word's bytes start as byte-level symbols and the adjacent pair with the lowest merge rank (leftmost on
 * ties) is merged until no pair has a rank. With {@code ignore_merges} a word that is a token is emitted whole.
 */
final class BpeEncoder {
    private final Vocabulary v;
    private final int[] byteSymbol = new int[256];
    /** Tokens for the bytes of a byte symbol that is not itself a token (llama.cpp's fallback; usually none). */
    private final int[][] byteFallback = new int[256][];

    BpeEncoder(Vocabulary v) {
        this.v = v;
        for (int b = 0; b < 256; b++) {
            String sym = ByteLevel.token(b);
            byteSymbol[b] = v.id(sym);
            Ints ids = new Ints(2);
            for (int k = 0; k < sym.length(); k++) {
                int id = v.id(String.valueOf(sym.charAt(k)));
                if (id >= 0) {
                    ids.add(id);
                }
            }
            byteFallback[b] = ids.toArray();
        }
    }

    /** Tokenizes the UTF-8 bytes {@code text[from, to)} into {@code out}. */
    void encode(byte[] text, int from, int to, Ints out) {
        int[] cps = Utf8.decode(text, from, to);
        if (cps.length == 0) {
            return;
        }
        SplitText split = new SplitText(cps);
        Ints pieces = new Ints(1);
        pieces.add(cps.length);
        for (Split s : v.preTokenizer.splits()) {
            pieces = s.apply(split, pieces);
        }
        BigramHeap heap = new BigramHeap();
        byte[] buf = new byte[64];
        int pos = 0;
        for (int p = 0; p < pieces.size(); p++) {
            int len = pieces.get(p);
            if (buf.length < 4 * len) {
                buf = new byte[4 * len];
            }
            int n = 0;
            for (int i = pos; i < pos + len; i++) {
                n = Utf8.encode(cps[i], buf, n);
            }
            pos += len;
            if (n > 0) {
                encodeWord(buf, n, heap, out);
            }
        }
    }

    private void encodeWord(byte[] word, int n, BigramHeap heap, Ints out) {
        if (v.flags.ignoreMerges()) {
            StringBuilder b = new StringBuilder(n * 2);
            for (int i = 0; i < n; i++) {
                b.append(ByteLevel.token(word[i] & 0xFF));
            }
            int id = v.id(b.toString());
            if (id >= 0) {
                out.add(id);
                return;
            }
        }
        int[] id = new int[n];
        int[] size = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = byteSymbol[word[i] & 0xFF];
            size[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 == n ? -1 : i + 1;
        }
        heap.clear();
        for (int i = 1; i < n; i++) {
            tryAdd(id, size, i - 1, i, heap);
        }
        while (!heap.isEmpty()) {
            long key = heap.topKey();
            int queued = heap.topSize();
            heap.pop();
            int left = BigramHeap.left(key);
            int right = next[left];
            if (size[left] == 0 || right < 0 || size[right] == 0 || size[left] + size[right] != queued) {
                continue; // outdated: one side changed since this pair was queued
            }
            id[left] = v.mergeResult[(int) (key >>> 32)];
            size[left] += size[right];
            size[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            tryAdd(id, size, prev[left], left, heap);
            tryAdd(id, size, left, next[left], heap);
        }
        for (int i = 0; i != -1; i = next[i]) {
            if (id[i] >= 0) {
                out.add(id[i]);
            } else {
                for (int t : byteFallback[word[i] & 0xFF]) {
                    out.add(t);
                }
            }
        }
    }

    private void tryAdd(int[] id, int[] size, int left, int right, BigramHeap heap) {
        if (left < 0 || right < 0 || id[left] < 0 || id[right] < 0) {
            return;
        }
        int rank = v.mergeRanks.get(id[left], id[right]);
        if (rank >= 0) {
            heap.push(BigramHeap.rankKey(rank, left), size[left] + size[right]);
        }
    }
}
