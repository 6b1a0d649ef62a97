package dev.quant4j.lowbit.iq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The dominance rule by hand, and the short lists as order-preserving sublists of the full ones. */
class DominanceListsTest {
    @Test
    void closerByHand() {
        // cell of level 3 is y in [6, 8]; odd points 2l+1
        assertTrue(DominanceLists.closer(3, 4, 3), "7 is at least as close as 9 to all of [6, 8]");
        assertTrue(DominanceLists.closer(3, 2, 3), "7 is at least as close as 5 to all of [6, 8]");
        assertFalse(DominanceLists.closer(4, 3, 3), "9 is farther than 7 from y = 6");
        assertFalse(DominanceLists.closer(2, 4, 3), "y in (7, 8] is closer to 9 than to 5");
        assertFalse(DominanceLists.closer(1, 5, 3), "the midpoint of 3 and 11 is 7: y = 8 is closer to 11");
        assertTrue(DominanceLists.closer(2, 6, 3), "the midpoint of 5 and 13 is 9, beyond the cell");
    }

    @Test
    void clampedCellsAreOpen() {
        assertFalse(DominanceLists.closer(6, 7, 7), "level 7's cell is unbounded above: 15 wins for large y");
        assertTrue(DominanceLists.closer(7, 6, 7));
        assertFalse(DominanceLists.closer(1, 0, 0), "level 0's cell is unbounded below");
        assertTrue(DominanceLists.closer(0, 1, 0));
    }

    @Test
    void shortListsAreSublistsInOrder() {
        for (Codebook cb : new Codebook[] {Codebook.iq3xxs(), Codebook.iq3s()}) {
            long full = 0;
            long kept = 0;
            for (int u = 0; u < cb.map.length; u++) {
                if (cb.map[u] >= 0) {
                    continue;
                }
                int fs = -cb.map[u] - 1;
                int n = cb.lists[fs] & 0xFFFF;
                int ss = cb.shortStarts[u];
                int m = cb.shortLists[ss];
                assertTrue(m >= 1 && m <= n, "code " + u);
                int k = 0;
                for (int j = 0; j < m; j++) {
                    int code = NeighbourLists.codeOfTermIndices4(cb.shortLists[ss + 2 + j]);
                    while (k < n && NeighbourLists.codeOfTermIndices4(cb.lists[fs + 2 + k]) != code) {
                        k++;
                    }
                    assertTrue(k < n, "code " + u + ": short entry " + j + " not in order in the full list");
                    k++;
                }
                // the first (nearest) entry is never dropped
                assertEquals(cb.lists[fs + 2] & 0xFFFFF, cb.shortLists[ss + 2] & 0xFFFFF);
                full += n;
                kept += m;
            }
            assertTrue(kept < full, "some entries are dropped");
        }
    }
}
