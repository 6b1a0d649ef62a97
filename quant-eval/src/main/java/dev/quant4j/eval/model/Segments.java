package dev.quant4j.eval.model;

/**
 * The rows of one forward batch cut into independent sequences: segment s has {@code lengths[s]} consecutive rows
 * at positions {@code positions[s] ..} and its own K/V cache. Everything but attention is per row, so several
 * sequences share every matmul (one weight decode for all of them) while attention stays per sequence.
 */
record Segments(int[] lengths, int[] positions, KvCache[] caches) {
    static Segments of(int length, int position, KvCache cache) {
        return new Segments(new int[] {length}, new int[] {position}, new KvCache[] {cache});
    }

    int count() {
        return lengths.length;
    }

    /**
     * Moves rows {@code from[s] ..} of each segment s of {@code a} (rows of {@code width}) to the front, in order,
     * and returns how many there are; the rows behind them are left as they were.
     */
    int keep(float[] a, int width, int[] from) {
        int to = 0;
        int row = 0;
        for (int s = 0; s < count(); s++) {
            int n = lengths[s] - from[s];
            System.arraycopy(a, (row + from[s]) * width, a, to * width, n * width);   // to <= row + from[s]
            to += n;
            row += lengths[s];
        }
        return to;
    }

    int rows() {
        int n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }
}
