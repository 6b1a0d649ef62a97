package dev.quant4j.lowbit.iq;

import java.util.Arrays;

/**
 * Builds the neighbour lists of spec §8.1 step 3: for every code off the grid, the grid entries ordered by
 * (integer squared distance between the odd-integer points, entry index), cut after the {@code nwant}
 * smallest distinct distances. Same lists as ggml's qsort-based initialiser, computed without sorting:
 * distances are split into two half-codes whose pairwise distances come from one small table.
 *
 * <p>Search layout, one list per off-grid code: a head word {@code length | groups << 16}; then the entries
 * of 8-coordinate codebooks grouped by the low half of their code (first 4 coordinates), groups in order
 * of first appearance, each a word {@code lowHalf | highRanges << 8 | count << 24} followed by its entries
 * {@code code | position << 16} in list order. A search evaluates the shared low half once per group and
 * can skip whole groups; the position keeps ggml's "first minimum in list order" decisive. The short lists
 * of 4-coordinate codebooks share too little to pay for grouping: they form a single group in list order
 * whose entries are {@code termIndices | position << 20} (see {@link #termIndices4}).
 */
final class NeighbourLists {
    private NeighbourLists() {
    }

    /**
     * Fills {@code map[u] = -(start + 1)} for every off-grid code and returns the concatenated lists in
     * search layout.
     */
    static int[] build(int dims, int bits, int[] codes, int[] map, int nwant) {
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
        int[][] buckets = new int[nwant][size];
        int[] bucketLen = new int[nwant];
        int[] ordered = new int[size];
        Grouper grouper = new Grouper(1 << halfBits, size);
        IntList out = new IntList(map.length * 8);
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
                        buckets[r][bucketLen[r]++] = j;
                        break;
                    }
                }
            }
            int n = 0;
            for (int r = 0; r < kept; r++) {
                System.arraycopy(buckets[r], 0, ordered, n, bucketLen[r]);
                n += bucketLen[r];
            }
            map[u] = -(out.size() + 1);
            grouper.write(codes, ordered, n, dims == 8 ? halfMask : 0, out);
        }
        return out.toArray();
    }

    /**
     * A 4-coordinate code (3 bits per level) as the indices {@code 8·i + level_i} of its terms in a search's
     * term table, 5 bits each: saves the search an addition per coordinate.
     */
    static int termIndices4(int code) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (8 * i + ((code >>> (3 * i)) & 7)) << (5 * i);
        }
        return v;
    }

    /** The code of {@link #termIndices4} packed term indices (low 20 bits of {@code v}). */
    static int codeOfTermIndices4(int v) {
        int c = 0;
        for (int i = 0; i < 4; i++) {
            c |= ((v >>> (5 * i)) & 7) << (3 * i);
        }
        return c;
    }

    /** Writes one list in search layout: groups by low half in order of first appearance. */
    private static final class Grouper {
        private final int[] groupOf;
        private final int[] groupHalf;
        private final int[] groupCount;
        private final int[][] groupItems;

        Grouper(int halves, int maxEntries) {
            groupOf = new int[halves];
            Arrays.fill(groupOf, -1);
            groupHalf = new int[maxEntries];
            groupCount = new int[maxEntries];
            groupItems = new int[halves][];
        }

        void write(int[] codes, int[] entries, int n, int groupMask, IntList out) {
            int groups = 0;
            for (int j = 0; j < n; j++) {
                int c = codes[entries[j]];
                int h = c & groupMask;
                int g = groupOf[h];
                if (g < 0) {
                    g = groups++;
                    groupOf[h] = g;
                    groupHalf[g] = h;
                    groupCount[g] = 0;
                    if (groupItems[g] == null || groupItems[g].length < n) {
                        groupItems[g] = new int[Math.max(n, 16)];
                    }
                }
                groupItems[g][groupCount[g]++] = groupMask != 0 ? c | j << 16 : termIndices4(c) | j << 20;
            }
            out.add(n | groups << 16);
            for (int g = 0; g < groups; g++) {
                out.add(groupHalf[g] | (groupMask != 0 ? highRanges(codes, groupItems[g], groupCount[g]) << 8 : 0)
                        | groupCount[g] << 24);
                out.addAll(groupItems[g], groupCount[g]);
                groupOf[groupHalf[g]] = -1;
            }
        }
    }

    /**
     * For a group of 8-coordinate entries ({@code code | position << 16}): per high coordinate 4..7 the range
     * of its levels as {@code 3·lowest + highest}, 4 bits each, so a search can bound the group's totals by
     * the smallest term within each range.
     */
    private static int highRanges(int[] codes, int[] items, int count) {
        int packed = 0;
        for (int i = 4; i < 8; i++) {
            int lo = 3;
            int hi = 0;
            for (int k = 0; k < count; k++) {
                int l = (items[k] >>> (2 * i)) & 3;
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
            }
            packed |= (3 * lo + hi) << (4 * (i - 4));
        }
        return packed;
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

    /** Minimal growable int array. */
    private static final class IntList {
        private int[] data;
        private int size;

        IntList(int capacity) {
            data = new int[capacity];
        }

        int size() {
            return size;
        }

        void add(int v) {
            ensure(1);
            data[size++] = v;
        }

        void addAll(int[] src, int n) {
            ensure(n);
            System.arraycopy(src, 0, data, size, n);
            size += n;
        }

        private void ensure(int n) {
            if (size + n > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
            }
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
