package dev.quant4j.lowbit.iq;

/**
 * Shortened neighbour lists for the 4-coordinate (IQ3) search, valid when every value of the group lies well
 * inside the rounding cell of its level.
 *
 * <p>The search picks the entry of least {@code Σ (w·d)·d}, {@code d = scale·p − x}, first in list order on
 * ties. Write {@code y = x/scale}; the level rule put {@code y} in the cell of the code's level {@code l}:
 * {@code [2l − 1, 2l + 1]}, unbounded below for level 0 and above for level 7 (clamping). For two levels
 * {@code a ≠ b} of one coordinate, {@code |p_a − y| ≥ |p_b − y|} for every y of the cell when the cell lies
 * on b's side of their midpoint {@code a + b + 1}. With weights ≥ 0 each term grows with {@code |d|}
 * (float rounding is monotone), and the total with each term; so if an earlier entry of the list has, in
 * every coordinate, the same level or such a "closer" one, the later entry's total is never smaller and,
 * being later, it never wins. Those entries are dropped. Dropping is transitive-safe: a dropped entry's
 * dominator is either kept or itself dominated by a still earlier one.
 *
 * <p>At the cell boundary itself float rounding could reorder two terms, so a group uses these lists only
 * when each value is at least {@link #MARGIN} (in units of half a level step) inside its cell, and not huge;
 * see {@link GridSearch#snapGroups}. The margin is many orders above the float error of
 * {@code scale·p − x} against {@code scale·(p − id·x)} for the values admitted.
 */
final class DominanceLists {
    /** Distance from a cell boundary, in the units of {@code 0.5·(id·x − 1)}, required to use the short list. */
    static final float MARGIN = 1e-3f;
    /** Largest {@code 0.5·(id·x − 1)} admitted (keeps the float error of {@code d} far below the margin). */
    static final float LIMIT = 64f;

    /**
     * Per level l, the admitted range of {@code v − l}, {@code v = 0.5·(id·x − 1)}: {@link #MARGIN} inside the
     * cell, the clamped sides open up to {@code |v| ≤ LIMIT}. ggml's out-of-range {@code nearest_int} results
     * (|v| ≥ 2²²) fall outside.
     */
    private static final float[] CELL_LO = new float[8];
    private static final float[] CELL_HI = new float[8];

    /** The same ranges padded to 16 floats for the lane-per-pass kernel ({@code CodebookArgmin.levelCodes4}). */
    static final float[] CELL_LO16 = new float[16];
    static final float[] CELL_HI16 = new float[16];

    static {
        for (int l = 0; l < 8; l++) {
            CELL_LO[l] = l == 0 ? -LIMIT : -0.5f + MARGIN;
            CELL_HI[l] = l == 7 ? LIMIT - 7 : 0.5f - MARGIN;
        }
        System.arraycopy(CELL_LO, 0, CELL_LO16, 0, 8);
        System.arraycopy(CELL_HI, 0, CELL_HI16, 0, 8);
    }

    private DominanceLists() {
    }

    /**
     * Whether {@code v = 0.5·(id·x − 1)}, rounded and clamped to level l, is admitted for the short lists
     * (see {@link #CELL_LO}); NaN is not.
     */
    static boolean inside(float v, int l) {
        float f = v - l;
        return f >= CELL_LO[l] & f <= CELL_HI[l];
    }

    /**
     * For every off-grid code u of {@code cb} (4 coordinates, 3 bits), its list with dominated entries
     * removed, in the layout of {@link NeighbourLists} for 4 coordinates (head word {@code length}, a zero
     * word, then {@link NeighbourLists#termIndices4} entries with their position in the shortened list).
     * {@code starts[u]} receives the head index (unchanged for on-grid codes).
     */
    static int[] build(Codebook cb, int[] starts) {
        int[] out = new int[cb.lists.length];
        int size = 0;
        int[] kept = new int[64];
        for (int u = 0; u < cb.map.length; u++) {
            if (cb.map[u] >= 0) {
                continue;
            }
            int[] list = cb.neighbourList(u);
            int n = 0;
            for (int k = 0; k < list.length; k++) {
                if (!dominated(cb, u, list, k)) {
                    kept[n++] = list[k];
                }
            }
            starts[u] = size;
            out[size++] = n;
            out[size++] = 0;
            for (int k = 0; k < n; k++) {
                out[size++] = NeighbourLists.termIndices4(cb.codes[kept[k]]) | k << 20;
            }
        }
        return java.util.Arrays.copyOf(out, size);
    }

    /** Whether an entry before position k of the list dominates entry k for groups in the cell of code u. */
    private static boolean dominated(Codebook cb, int u, int[] list, int k) {
        for (int j = 0; j < k; j++) {
            boolean all = true;
            for (int i = 0; i < 4 && all; i++) {
                int l = (u >>> (3 * i)) & 7;
                int a = cb.level(list[k], i);
                int b = cb.level(list[j], i);
                all = a == b || closer(b, a, l);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Whether level b is at least as close as level a to every point of level l's cell. */
    static boolean closer(int b, int a, int l) {
        if (a > b) {
            return l < 7 && 2 * l + 2 <= a + b + 1;
        }
        return l > 0 && 2 * l >= a + b + 1;
    }
}
