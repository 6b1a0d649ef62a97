package dev.quant4j.lowbit.iq;

import dev.quant4j.lowbit.tables.Iq1sTables;
import dev.quant4j.lowbit.tables.Iq2sTables;
import dev.quant4j.lowbit.tables.Iq2xsTables;
import dev.quant4j.lowbit.tables.Iq2xxsTables;
import dev.quant4j.lowbit.tables.Iq3sTables;
import dev.quant4j.lowbit.tables.Iq3xxsTables;
import java.util.function.IntUnaryOperator;

/**
 * A codebook prepared for quantizing (spec/quant-types.md §8.1): per entry its levels, the map from every
 * compact level code to its entry, and for codes off the grid the ordered list of nearest entries.
 *
 * <p>Built once per JVM and codebook, lazily, by the holder classes below (class initialisation is
 * thread safe and happens on first use); immutable afterwards. The arrays are package-private for the hot
 * loops of this package, which only read them.
 */
final class Codebook {
    /** Coordinates per entry: 8 for the 2-bit and 1-bit families, 4 for the 3-bit family. */
    final int dims;
    /** Bits per coordinate in a compact code. */
    final int bits;
    /** Number of entries. */
    final int size;
    /** Compact code of each entry (level of coordinate i at bits {@code bits*i}). */
    final int[] codes;
    /**
     * For code u: the entry index when u is on the grid, else {@code -(start + 1)} where {@code lists[start]}
     * heads the neighbour list of u in the search layout of {@link NeighbourLists}.
     */
    final int[] map;
    /** Concatenated neighbour lists in search layout (grouped by the codes' low half, see NeighbourLists). */
    final int[] lists;
    /**
     * 4-coordinate codebooks only (else null): the lists without dominated entries ({@link DominanceLists}),
     * and for each off-grid code the head index of its short list there.
     */
    final int[] shortLists;
    final int[] shortStarts;

    private Codebook(int dims, int bits, int nwant, int mapSize, IntUnaryOperator kgrid, int size) {
        this.dims = dims;
        this.bits = bits;
        this.size = size;
        this.codes = new int[size];
        for (int k = 0; k < size; k++) {
            codes[k] = kgrid.applyAsInt(k);
        }
        this.map = new int[mapSize];
        java.util.Arrays.fill(map, -1);
        for (int k = 0; k < size; k++) {
            map[codes[k]] = k;
        }
        this.lists = NeighbourLists.build(dims, bits, codes, map, nwant);
        this.shortStarts = dims == 4 ? new int[mapSize] : null;
        this.shortLists = dims == 4 ? DominanceLists.build(this, shortStarts) : null;
    }

    /** The neighbour list of off-grid code {@code u} in ggml's order (entry indices). */
    int[] neighbourList(int u) {
        int start = -map[u] - 1;
        int[] out = new int[lists[start] & 0xFFFF];
        int groups = lists[start] >>> 16;
        int p = start + 1;
        for (int g = 0; g < groups; g++) {
            int count = lists[p++] >>> 24;
            for (int k = 0; k < count; k++) {
                int v = lists[p++];
                if (dims == 8) {
                    out[v >>> 16] = map[v & 0xFFFF];
                } else {
                    out[v >>> 20] = map[NeighbourLists.codeOfTermIndices4(v)];
                }
            }
        }
        return out;
    }

    /** Level of coordinate {@code i} of entry {@code k}. */
    int level(int k, int i) {
        return (codes[k] >>> (bits * i)) & ((1 << bits) - 1);
    }

    /** Number of codes that are not grid entries. */
    int offGridCodes() {
        int n = 0;
        for (int v : map) {
            n += v < 0 ? 1 : 0;
        }
        return n;
    }

    static Codebook iq2xxs() {
        return Iq2xxs.BOOK;
    }

    static Codebook iq2xs() {
        return Iq2xs.BOOK;
    }

    static Codebook iq2s() {
        return Iq2s.BOOK;
    }

    static Codebook iq1s() {
        return Iq1s.BOOK;
    }

    static Codebook iq3xxs() {
        return Iq3xxs.BOOK;
    }

    static Codebook iq3s() {
        return Iq3s.BOOK;
    }

    // one holder per codebook: built on first use only, so IQ2_XXS users never pay for the IQ1 lists
    private static final class Iq2xxs {
        static final Codebook BOOK = new Codebook(8, 2, 2, 43692, Iq2xxsTables::kgrid, Iq2xxsTables.SIZE);
    }

    private static final class Iq2xs {
        static final Codebook BOOK = new Codebook(8, 2, 2, 43692, Iq2xsTables::kgrid, Iq2xsTables.SIZE);
    }

    private static final class Iq2s {
        static final Codebook BOOK = new Codebook(8, 2, 1, 43692, Iq2sTables::kgrid, Iq2sTables.SIZE);
    }

    private static final class Iq1s {
        static final Codebook BOOK = new Codebook(8, 2, 3, 43692, Iq1sTables::kgrid, Iq1sTables.SIZE);
    }

    private static final class Iq3xxs {
        static final Codebook BOOK = new Codebook(4, 3, 2, 4096, Iq3xxsTables::kgrid, Iq3xxsTables.SIZE);
    }

    private static final class Iq3s {
        static final Codebook BOOK = new Codebook(4, 3, 3, 4096, Iq3sTables::kgrid, Iq3sTables.SIZE);
    }
}
