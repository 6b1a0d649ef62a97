package dev.quant4j.lowbit.iq;

/** Helpers of the IQ1 split search (spec §8.8, §8.9): stable ordering, levels of a split, level codes. */
final class Iq1Split {
    private Iq1Split() {
    }

    /**
     * Indices 0..n-1 ordered by ascending {@code x[xo + i]}; equal values keep index order (glibc's qsort is a
     * stable merge sort at these sizes, spec §12.2). Compares with {@code <}/{@code >} only, so −0.0 and 0.0
     * tie as they do in the C comparator.
     */
    static void sortAscending(float[] x, int xo, int n, int[] order) {
        for (int a = 0; a < n; a++) {
            float v = x[xo + a];
            int b = a - 1;
            while (b >= 0 && x[xo + order[b]] > v) {
                order[b + 1] = order[b];
                b--;
            }
            order[b + 1] = a;
        }
    }

    /** Sorted positions below i1 get level 0, below i2 level 1, the rest 2 (at their original indices). */
    static void levelsFromSplit(int[] order, int n, int i1, int i2, byte[] levels) {
        for (int j = 0; j < n; j++) {
            levels[order[j]] = (byte) (j < i1 ? 0 : j < i2 ? 1 : 2);
        }
    }

    /** 2-bit level code of the 8 levels at {@code levels[off ..]}. */
    static int code(byte[] levels, int off) {
        int u = 0;
        for (int j = 0; j < 8; j++) {
            u |= levels[off + j] << (2 * j);
        }
        return u;
    }
}
