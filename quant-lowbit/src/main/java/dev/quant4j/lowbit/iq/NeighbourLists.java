package dev.quant4j.lowbit.iq;

import java.util.Arrays;

/**
 * Builds the neighbour lists of spec §8.1 step 3: for every code off the grid, the grid entries ordered by
 * (integer squared distance between the odd-integer points, entry index), cut after the {@code nwant}
 * smallest distinct distances. Same lists as ggml's qsort-based initialiser, computed without sorting:
 * distances are split into two half-codes whose pairwise distances come from one small table.
 */
final class NeighbourLists {
    private NeighbourLists() {
    }

    /**
     * Fills {@code map[u] = -(start + 1)} for every off-grid code and returns the concatenated lists
     * (count, then entries) that the starts point into.
     */
    static short[] build(int dims, int bits, int[] codes, int[] map, int nwant) {
        int halfBits = dims / 2 * bits;
        int halfMask = (1 << halfBits) - 1;
        int[] halfDist = halfDistances(dims / 2, bits);
        int size = codes.length;
        int[] lo = new int[size];
        int[] hi = new int[size];
        for (int j = 0; j < size; j++) {
            lo[j] = codes[j] & halfMask;
            hi[j] = codes[j] >>> halfBits;
        }
        int[] dist = new int[size];
        int[] nearest = new int[nwant];
        short[][] buckets = new short[nwant][size];
        int[] bucketLen = new int[nwant];
        ShortList out = new ShortList(map.length * 4);
        for (int u = 0; u < map.length; u++) {
            if (map[u] >= 0) {
                continue;
            }
            int rowLo = (u & halfMask) << halfBits;
            int rowHi = (u >>> halfBits) << halfBits;
            int kept = 0;
            for (int j = 0; j < size; j++) {
                int d = halfDist[rowLo | lo[j]] + halfDist[rowHi | hi[j]];
                dist[j] = d;
                kept = keepSmallest(nearest, kept, d);
            }
            Arrays.fill(bucketLen, 0);
            for (int j = 0; j < size; j++) {
                int d = dist[j];
                for (int r = 0; r < kept; r++) {
                    if (nearest[r] == d) {
                        buckets[r][bucketLen[r]++] = (short) j;
                        break;
                    }
                }
            }
            map[u] = -(out.size() + 1);
            int count = 0;
            for (int r = 0; r < kept; r++) {
                count += bucketLen[r];
            }
            out.add((short) count);
            for (int r = 0; r < kept; r++) {
                out.addAll(buckets[r], bucketLen[r]);
            }
        }
        return out.toArray();
    }

    /** Inserts {@code d} into the ascending distinct {@code nearest[0..kept)} capped at its length. */
    private static int keepSmallest(int[] nearest, int kept, int d) {
        int cap = nearest.length;
        if (kept == cap && d >= nearest[cap - 1]) {
            return kept;
        }
        int pos = 0;
        while (pos < kept && nearest[pos] < d) {
            pos++;
        }
        if (pos < kept && nearest[pos] == d) {
            return kept;
        }
        int last = Math.min(kept, cap - 1);
        for (int r = last; r > pos; r--) {
            nearest[r] = nearest[r - 1];
        }
        nearest[pos] = d;
        return Math.min(kept + 1, cap);
    }

    /** Squared distance between the points of two half-codes a, b, at index {@code a << halfBits | b}. */
    private static int[] halfDistances(int coords, int bits) {
        int n = 1 << (coords * bits);
        int mask = (1 << bits) - 1;
        int[] t = new int[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int d2 = 0;
                for (int i = 0; i < coords; i++) {
                    int diff = 2 * ((a >>> (bits * i)) & mask) - 2 * ((b >>> (bits * i)) & mask);
                    d2 += diff * diff;
                }
                t[a * n + b] = d2;
            }
        }
        return t;
    }

    /** Minimal growable short array. */
    private static final class ShortList {
        private short[] data;
        private int size;

        ShortList(int capacity) {
            data = new short[capacity];
        }

        int size() {
            return size;
        }

        void add(short v) {
            ensure(1);
            data[size++] = v;
        }

        void addAll(short[] src, int n) {
            ensure(n);
            System.arraycopy(src, 0, data, size, n);
            size += n;
        }

        private void ensure(int n) {
            if (size + n > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
            }
        }

        short[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
