package dev.quant4j.eval.model;

/**
 * The work of causal attention over one batch, as items (segment, KV head, block of query rows), largest first so
 * that pulling them in order leaves little idle time at the end. A segment's query rows are cut into blocks of
 * {@link #ROWS} (the last one takes the remainder, so every block of a segment of at least 4 rows has at least
 * 4 and the matmul kernel takes its batch path for all of them, as it did for the whole segment). A block needs
 * the keys up to its last row only; that count is rounded up to a multiple of {@link #ROWS} (the keys past the
 * cache are zero rows, masked like the others), so the kernel always cuts the keys into whole panels: every
 * score and every output is the same bits however a sequence is cut into batches and blocks.
 */
final class CausalBlocks {
    /** Query rows per block, and the multiple the key count is rounded up to (a multiple of every kernel panel). */
    static final int ROWS = 64;

    private final int headsKv;
    private final int[] segment;
    private final int[] firstRow;
    private final int[] rows;
    private final int[] keys;
    private final int[] order;
    private final int maxRows;
    private final int maxKeys;

    private CausalBlocks(int headsKv, int[] segment, int[] firstRow, int[] rows, int[] keys) {
        this.headsKv = headsKv;
        this.segment = segment;
        this.firstRow = firstRow;
        this.rows = rows;
        this.keys = keys;
        int blocks = keys.length;
        Integer[] byCost = new Integer[blocks];
        int mr = 0;
        int mk = 0;
        for (int b = 0; b < blocks; b++) {
            byCost[b] = b;
            mr = Math.max(mr, rows[b]);
            mk = Math.max(mk, keys[b]);
        }
        java.util.Arrays.sort(byCost, (a, b) -> Long.compare((long) rows[b] * keys[b], (long) rows[a] * keys[a]));
        this.order = new int[blocks * headsKv];
        for (int i = 0; i < blocks; i++) {
            for (int h = 0; h < headsKv; h++) {
                order[i * headsKv + h] = byCost[i] * headsKv + h;
            }
        }
        this.maxRows = mr;
        this.maxKeys = mk;
    }

    static CausalBlocks of(Segments segs, int headsKv) {
        return of(segs, headsKv, new int[segs.count()]);
    }

    /**
     * The blocks of the query rows {@code from[s] ..} of each segment s, where {@code from[s]} is a block's first
     * row ({@link #start}) or the segment's length: the same blocks as all rows give, those before left out.
     */
    static CausalBlocks of(Segments segs, int headsKv, int[] from) {
        int blocks = 0;
        for (int s = 0; s < segs.count(); s++) {
            blocks += Math.max(1, segs.lengths()[s] / ROWS);
        }
        int[] segment = new int[blocks];
        int[] firstRow = new int[blocks];
        int[] rows = new int[blocks];
        int[] keys = new int[blocks];
        int b = 0;
        for (int s = 0; s < segs.count(); s++) {
            int len = segs.lengths()[s];
            int pos = segs.positions()[s];
            int n = Math.max(1, len / ROWS);
            for (int i = 0; i < n; i++) {
                if (i * ROWS < from[s]) {
                    continue;
                }
                segment[b] = s;
                firstRow[b] = i * ROWS;
                int end = i == n - 1 ? len : (i + 1) * ROWS;
                rows[b] = end - firstRow[b];
                keys[b] = padded(pos + end);
                b++;
            }
        }
        return new CausalBlocks(headsKv, java.util.Arrays.copyOf(segment, b), java.util.Arrays.copyOf(firstRow, b),
                java.util.Arrays.copyOf(rows, b), java.util.Arrays.copyOf(keys, b));
    }

    /**
     * The first row of the block that holds row {@code row} of a segment of {@code len} rows, or {@code len} when
     * {@code row >= len}: where the query rows start that a computation needing rows {@code row ..} runs.
     */
    static int start(int len, int row) {
        if (row >= len) {
            return len;
        }
        return Math.min(row / ROWS, Math.max(1, len / ROWS) - 1) * ROWS;
    }

    /** {@code n} rounded up to a multiple of {@link #ROWS}: how many keys a block of rows up to {@code n} sees. */
    static int padded(int n) {
        return (n + ROWS - 1) / ROWS * ROWS;
    }

    int items() {
        return order.length;
    }

    /** The i-th item to run (largest first). */
    int item(int i) {
        return order[i];
    }

    int segment(int item) {
        return segment[item / headsKv];
    }

    int head(int item) {
        return item % headsKv;
    }

    /** The block's first query row within its segment. */
    int firstRow(int item) {
        return firstRow[item / headsKv];
    }

    int rows(int item) {
        return rows[item / headsKv];
    }

    /** Keys (cache positions from 0, zero rows past the cache) the block's rows see, rounded up as the class comment says. */
    int keys(int item) {
        return keys[item / headsKv];
    }

    int maxRows() {
        return maxRows;
    }

    int maxKeys() {
        return maxKeys;
    }
}
