package dev.quant4j.lowbit.iq;

/**
 * Snapping a group of values to a codebook entry (spec §8.1): levels by the nearest odd integer, and for a
 * level code off the grid the best entry of its neighbour list. Float work in ggml's exact order.
 */
final class GridSearch {
    /** Flag OR-ed into {@link #snap}'s result when the group's own code was not a grid entry. */
    static final int OFF_GRID = 1 << 16;
    /** Mask of the entry index in {@link #snap}'s result. */
    static final int ENTRY = OFF_GRID - 1;

    private GridSearch() {
    }

    /**
     * Chooses the entry for the group {@code xval[off .. off+dims)} at inverse scale {@code id}: each value's
     * level by {@link IqMath#level}; when that code is off the grid, the neighbour minimising
     * {@code Σ w·(scale·p − xval)²}. Writes the entry's levels to {@code levels[off ..]}.
     *
     * @return the entry index, plus {@link #OFF_GRID} when the neighbour search ran
     */
    static int snap(Codebook cb, int kmax, float id, float scale, float[] xval, float[] w, int off, byte[] levels) {
        int dims = cb.dims;
        int bits = cb.bits;
        int u = 0;
        for (int i = 0; i < dims; i++) {
            int l = IqMath.level(id, xval[off + i], kmax);
            levels[off + i] = (byte) l;
            u |= l << (bits * i);
        }
        int e = cb.map[u];
        if (e >= 0) {
            return e;
        }
        e = bestNeighbour(cb, -e - 1, xval, w, off, scale);
        writeLevels(cb, e, levels, off);
        return e | OFF_GRID;
    }

    /** The entry whose levels are {@code levels[off .. off+dims)}; fails if they are not a grid point. */
    static int entryOf(Codebook cb, byte[] levels, int off) {
        int u = 0;
        for (int i = 0; i < cb.dims; i++) {
            u |= levels[off + i] << (cb.bits * i);
        }
        int e = u >= 0 && u < cb.map.length ? cb.map[u] : -1;
        if (e < 0) {
            throw new IllegalStateException("levels of code " + u + " are not on the grid (ggml aborts here too)");
        }
        return e;
    }

    static void writeLevels(Codebook cb, int e, byte[] levels, int off) {
        int c = cb.codes[e];
        int mask = (1 << cb.bits) - 1;
        for (int i = 0; i < cb.dims; i++) {
            levels[off + i] = (byte) ((c >>> (cb.bits * i)) & mask);
        }
    }

    /** Over the list at {@code start} (in order, strict {@code <}): minimum of {@code Σ w·(scale·p − xval)²}. */
    private static int bestNeighbour(Codebook cb, int start, float[] xval, float[] w, int off, float scale) {
        short[] nb = cb.neighbours;
        int n = nb[start];
        int dims = cb.dims;
        int bits = cb.bits;
        int mask = (1 << bits) - 1;
        float best = Float.MAX_VALUE;
        int bestEntry = -1;
        for (int j = 1; j <= n; j++) {
            int e = nb[start + j];
            int c = cb.codes[e];
            float d2 = 0;
            for (int i = 0; i < dims; i++) {
                float q = 2 * ((c >>> (bits * i)) & mask) + 1;
                float diff = scale * q - xval[off + i];
                d2 += w[off + i] * diff * diff;
            }
            if (d2 < best) {
                best = d2;
                bestEntry = e;
            }
        }
        if (bestEntry < 0) {
            throw overflow();
        }
        return bestEntry;
    }

    /**
     * IQ1 neighbour choice (§8.8 step 6): over the list of code {@code u}, the entry minimising
     * {@code Σ w·(scale·xx[level] − x)²} with signed x. Writes its levels; returns the entry.
     */
    static int bestNeighbourIq1(Codebook cb, int u, float[] x, int xo, float[] w, int wo, float scale,
                                float[] xx, byte[] levels, int lo) {
        short[] nb = cb.neighbours;
        int start = -cb.map[u] - 1;
        int n = nb[start];
        float best = Float.MAX_VALUE;
        int bestEntry = -1;
        for (int j = 1; j <= n; j++) {
            int e = nb[start + j];
            int c = cb.codes[e];
            float d2 = 0;
            for (int i = 0; i < 8; i++) {
                float q = xx[(c >>> (2 * i)) & 3];
                float diff = scale * q - x[xo + i];
                d2 += w[wo + i] * diff * diff;
            }
            if (d2 < best) {
                best = d2;
                bestEntry = e;
            }
        }
        if (bestEntry < 0) {
            throw overflow();
        }
        writeLevels(cb, bestEntry, levels, lo);
        return bestEntry;
    }

    private static IllegalArgumentException overflow() {
        return new IllegalArgumentException("values too large for the codebook search: every candidate's error "
                + "overflowed the float range (ggml aborts on such input as well); rescale the tensor");
    }
}
