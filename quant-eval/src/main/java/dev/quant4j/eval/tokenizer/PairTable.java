package dev.quant4j.eval.tokenizer;

import java.util.Arrays;

/** An open-addressing map from a pair of token ids to an int (BPE merge ranks), without boxing. */
final class PairTable {
    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    PairTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[cap];
        values = new int[cap];
        mask = cap - 1;
        Arrays.fill(keys, -1L);
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Stores {@code value} unless the pair is present already (the first merge of a pair wins, as in llama.cpp). */
    boolean putIfAbsent(int left, int right, int value) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != -1L) {
            if (keys[i] == k) {
                return false;
            }
            i = (i + 1) & mask;
        }
        if (size + 1 > keys.length / 2) {
            throw new IllegalStateException("pair table full");
        }
        keys[i] = k;
        values[i] = value;
        size++;
        return true;
    }

    /** The value of the pair, or -1. */
    int get(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != -1L) {
            if (keys[i] == k) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
