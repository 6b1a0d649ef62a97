package dev.quant4j.eval.tokenizer;

import java.util.Arrays;

/**
 * A binary min-heap of (long key, int size) entries for the merge loops: the key orders merges (best first, then
 * leftmost), the size (bytes of the pair when queued) tells a stale entry from a live one.
 */
final class BigramHeap {
    private long[] keys = new long[64];
    private int[] sizes = new int[64];
    private int n;

    boolean isEmpty() {
        return n == 0;
    }

    void clear() {
        n = 0;
    }

    void push(long key, int size) {
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
            sizes = Arrays.copyOf(sizes, n * 2);
        }
        int i = n++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            sizes[i] = sizes[parent];
            i = parent;
        }
        keys[i] = key;
        sizes[i] = size;
    }

    long topKey() {
        return keys[0];
    }

    int topSize() {
        return sizes[0];
    }

    void pop() {
        long key = keys[--n];
        int size = sizes[n];
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < n && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            sizes[i] = sizes[child];
            i = child;
        }
        keys[i] = key;
        sizes[i] = size;
    }

    /** Key of a SentencePiece pair: higher score first, then the leftmost. */
    static long scoreKey(float score, int left) {
        int bits = Float.floatToIntBits(score);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF); // ascending with the float
        return ((long) ~ordered << 32) | (left & 0xFFFFFFFFL);
    }

    /** Key of a BPE pair: lower rank first, then the leftmost. */
    static long rankKey(int rank, int left) {
        return ((long) rank << 32) | (left & 0xFFFFFFFFL);
    }

    static int left(long key) {
        return (int) key;
    }
}
