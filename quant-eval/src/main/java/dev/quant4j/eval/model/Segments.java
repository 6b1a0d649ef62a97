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

    int rows() {
        int n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }
}
