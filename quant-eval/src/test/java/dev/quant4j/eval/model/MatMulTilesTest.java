package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MatMul's tile plan: whole coverage, panel-aligned starts, smaller tiles at the end for the thread balance. */
class MatMulTilesTest {
    @Test
    void tilesCoverTheRowsWithPanelAlignedStarts() {
        for (int threads = 1; threads <= 4; threads++) {
            for (int rows = 1; rows <= 3000; rows += rows < 300 ? 1 : 37) {
                int[] s = MatMul.tileStarts(rows, threads);
                int max = MatMul.tileRows(rows, threads);
                assertEquals(0, s[0]);
                assertEquals(rows, s[s.length - 1], rows + " rows, " + threads + " threads");
                for (int i = 0; i + 1 < s.length; i++) {
                    assertEquals(0, s[i] % 32, "start " + s[i] + " of " + rows + " rows");
                    int n = s[i + 1] - s[i];
                    assertTrue(n > 0 && n <= max, rows + " rows: tile of " + n);
                }
            }
        }
    }

    @Test
    void theLastTilesAreHalves() {
        // TinyLlama shapes, 2 threads: attn_q (2048 rows) 14 x 128 + 4 x 64; attn_k (256) 2 x 64 + 4 x 32
        int[] q = MatMul.tileStarts(2048, 2);
        assertEquals(14 + 4 + 1, q.length);
        assertEquals(1792, q[14]);
        assertEquals(1856, q[15]);
        assertArrayEquals(new int[] {0, 64, 128, 160, 192, 224, 256}, MatMul.tileStarts(256, 2));
        assertArrayEquals(new int[] {0, 128, 256}, MatMul.tileStarts(256, 1)); // one thread: no tail to balance
    }
}
