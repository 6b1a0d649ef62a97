package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.RopeScaling;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import org.junit.jupiter.api.Test;

/**
 * RoPE's cos/sin table, computed once per position and grown on demand: a rotation read from a table grown in
 * several steps is the one a fresh table gives, and both are the hand-computed rotation.
 */
class RopeTableTest {
    private static Rope rope(RopeStyle style) {
        return new Rope(new ArchitectureSpec.Rope(style, 4, 100f, RopeScaling.NONE, 1f, 0), 4096, null);
    }

    @Test
    void aGrownTableRotatesAsAFreshOne() {
        for (RopeStyle style : RopeStyle.values()) {
            Rope grown = rope(style);
            Rope.Table small = grown.table(3);
            assertTrue(small.positions() >= 3);
            assertSame(small, grown.table(2), "no growth when the positions are there");
            Rope.Table big = grown.table(1500);          // several doublings from the first table
            assertTrue(big.positions() >= 1500);
            for (int pos : new int[] {0, 2, 63, 64, 700, 1499}) {
                float[] a = {1, 2, 3, 4};
                float[] b = a.clone();
                big.rotate(a, 0, pos);
                rope(style).table(pos + 1).rotate(b, 0, pos);
                assertArrayEquals(b, a, style + " position " + pos);
            }
        }
    }

    @Test
    void rotationIsTheHandComputedOne() {
        // NORM, 4 dims, base 100: pair 0 (x0, x1) by pos, pair 1 (x2, x3) by pos / 10; position 700
        float[] x = {1, 2, 3, 4};
        rope(RopeStyle.NORM).table(701).rotate(x, 0, 700);
        double t0 = 700;
        double t1 = 70;
        assertEquals(Math.cos(t0) - 2 * Math.sin(t0), x[0], 1e-4);
        assertEquals(Math.sin(t0) + 2 * Math.cos(t0), x[1], 1e-4);
        assertEquals(3 * Math.cos(t1) - 4 * Math.sin(t1), x[2], 1e-4);
        assertEquals(3 * Math.sin(t1) + 4 * Math.cos(t1), x[3], 1e-4);
    }
}
