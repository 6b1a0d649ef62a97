package dev.quant4j.lowbit.iq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.lowbit.tables.Iq1sTables;
import dev.quant4j.lowbit.tables.Iq2sTables;
import dev.quant4j.lowbit.tables.Iq2xsTables;
import dev.quant4j.lowbit.tables.Iq2xxsTables;
import dev.quant4j.lowbit.tables.Iq3sTables;
import dev.quant4j.lowbit.tables.Iq3xxsTables;
import java.util.Arrays;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The prepared codebooks against the facts of spec §8.1: compact codes agree with the grid words, and the
 * neighbour lists match the upstream initialiser's checksums (off-grid codes / total entries / shortest /
 * longest list) and first lists.
 */
class CodebookTest {

    @Test
    void neighbourListChecksums() {
        check(Codebook.iq2xxs(), 43436, 373964, 2, 150);
        check(Codebook.iq2xs(), 43180, 508542, 2, 292);
        check(Codebook.iq2s(), 42668, 166432, 1, 70);
        check(Codebook.iq1s(), 41644, 1333695, 3, 205);
        check(Codebook.iq3xxs(), 3840, 18985, 2, 36);
        check(Codebook.iq3s(), 3584, 24733, 3, 38);
    }

    @Test
    void firstListsOfCodeOne() {
        int[] xxs = list(Codebook.iq2xxs(), 1);
        assertEquals(34, xxs.length);
        assertArrayEquals(new int[] {0, 1, 2, 5, 11, 21, 32, 72, 132, 6, 12, 13}, Arrays.copyOf(xxs, 12));
        assertArrayEquals(new int[] {0, 1, 2, 5, 13, 34, 81, 206, 471}, list(Codebook.iq2s(), 1));
        int[] x3 = list(Codebook.iq3xxs(), 1);
        assertEquals(12, x3.length);
        assertArrayEquals(new int[] {0, 1, 3, 12, 58, 14, 15, 60, 61, 69, 70, 71}, x3);
    }

    @Test
    void codesDescribeTheGridWords() {
        int[] twoBit = {8, 25, 43};
        sameGrid(Codebook.iq2xxs(), Iq2xxsTables::grid, twoBit);
        sameGrid(Codebook.iq2xs(), Iq2xsTables::grid, twoBit);
        sameGrid(Codebook.iq2s(), Iq2sTables::grid, twoBit);
        sameGrid(Codebook.iq1s(), Iq1sTables::grid, new int[] {0xFF, 0x00, 0x01});
        sameGrid(Codebook.iq3xxs(), k -> Iq3xxsTables.grid(k) & 0xFFFFFFFFL, new int[] {4, 12, 20, 28, 36, 44, 52, 62});
        sameGrid(Codebook.iq3s(), k -> Iq3sTables.grid(k) & 0xFFFFFFFFL, new int[] {1, 3, 5, 7, 9, 11, 13, 15});
    }

    private static void sameGrid(Codebook cb, IntToLongFunction grid, int[] byteOfLevel) {
        for (int k = 0; k < cb.size; k++) {
            if (k > 0) {
                assertTrue(cb.codes[k] > cb.codes[k - 1], "compact codes ascend");
            }
            for (int i = 0; i < cb.dims; i++) {
                long b = (grid.applyAsLong(k) >>> (8 * i)) & 0xFF;
                assertEquals(byteOfLevel[cb.level(k, i)], b, "entry " + k + " coordinate " + i);
            }
        }
    }

    private static void check(Codebook cb, int offGrid, int entries, int shortest, int longest) {
        int codes = 0;
        int total = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int u = 0; u < cb.map.length; u++) {
            if (cb.map[u] < 0) {
                int n = list(cb, u).length;
                codes++;
                total += n;
                min = Math.min(min, n);
                max = Math.max(max, n);
            }
        }
        assertEquals(offGrid, codes, "off-grid codes");
        assertEquals(offGrid, cb.offGridCodes());
        assertEquals(entries, total, "neighbour entries");
        assertEquals(shortest, min, "shortest list");
        assertEquals(longest, max, "longest list");
    }

    private static int[] list(Codebook cb, int code) {
        return cb.neighbourList(code);
    }
}
