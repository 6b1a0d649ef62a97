package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The gate's decisions from given timings, and that a call split between the two forms covers every unit once. */
class WarmGateTest {
    @Test
    void opensOnlyAfterThreeProbesInARowBeatTheScalarForm() {
        WarmGate g = new WarmGate();
        assertFalse(g.tryProbe(), "no probe before a scalar timing to compare with");
        g.scalarTimed(1000, 100); // 10 ns per unit
        for (int round = 0; round < 2; round++) {
            assertTrue(g.tryProbe());
            g.probed(500, 100); // 5 ns per unit: a win
            assertFalse(g.tryProbe(), "the next probe waits for a fresh scalar timing");
            g.scalarTimed(1000, 100);
        }
        assertTrue(g.tryProbe());
        g.probed(5000, 100); // slower: the run of wins starts again
        assertFalse(g.isOpen());
        for (int win = 0; win < WarmGate.WINS; win++) {
            assertFalse(g.isOpen());
            g.scalarTimed(1000, 100);
            assertTrue(g.tryProbe());
            g.probed(999, 100);
        }
        assertTrue(g.isOpen());
        assertFalse(g.tryProbe(), "an open gate is not probed any more");
    }

    @Test
    void aScalarTimingSlowedByPreemptionDoesNotLetASlowVectorFormWin() {
        WarmGate g = new WarmGate();
        g.scalarTimed(1000, 100); // 10 ns per unit
        for (int i = 0; i < 5; i++) {
            g.scalarTimed(100_000, 100); // 1000 ns per unit: the thread was preempted
            assertTrue(g.tryProbe());
            g.probed(50_000, 100); // 500 ns per unit: faster than the preempted timing, slower than the best
        }
        assertFalse(g.isOpen(), "compared with the fastest scalar timing, not the latest");
    }

    @Test
    void oneProbeAtATime() {
        WarmGate g = new WarmGate();
        g.scalarTimed(10, 1);
        assertTrue(g.tryProbe());
        assertFalse(g.tryProbe(), "a second caller takes the scalar form while one probes");
        g.probed(1, 1);
        g.scalarTimed(10, 1);
        assertTrue(g.tryProbe());
    }

    @Test
    void aSharedGateLetsEveryCallerProbeOnceAScalarTimingExists() {
        WarmGate g = new WarmGate(false);
        assertFalse(g.tryProbe(), "no probe before a scalar timing to compare with");
        g.scalarTimed(10, 1);
        assertTrue(g.tryProbe());
        assertTrue(g.tryProbe(), "a second caller probes too");
        for (int win = 0; win < WarmGate.WINS; win++) {
            assertFalse(g.isOpen());
            g.probed(1, 1);
        }
        assertTrue(g.isOpen());
        assertFalse(g.tryProbe());
    }

    @Test
    void aCallIsSplitIntoAProbeHeadAndAScalarRestCoveringEveryUnitOnce() {
        WarmGate g = new WarmGate();
        List<int[]> parts = new ArrayList<>();
        WarmGate.Part record = (vector, from, count) -> parts.add(new int[] {vector ? 1 : 0, from, count});
        g.run(100, 8, record); // no scalar timing yet: all scalar
        g.run(100, 8, record); // probe head of 8, scalar rest
        g.run(5, 8, record); // probe longer than the call: one vector part
        g.run(7, 8, record); // no scalar timing since that probe: scalar again
        assertArrayEquals(new int[] {0, 0, 100}, parts.get(0));
        assertArrayEquals(new int[] {1, 0, 8}, parts.get(1));
        assertArrayEquals(new int[] {0, 8, 92}, parts.get(2));
        assertArrayEquals(new int[] {1, 0, 5}, parts.get(3));
        assertArrayEquals(new int[] {0, 0, 7}, parts.get(4));
        assertEquals(5, parts.size());
    }

    @Test
    void hybridLegacyRowsWriteTheScalarBytesWhateverTheGateDecides() {
        SplittableRandom r = new SplittableRandom(3);
        LegacyRows hybrid = LegacyRows.create();
        for (int t = 0; t < 300; t++) {
            int n = 32 * (1 + r.nextInt(80));
            float[] x = LanesOracleTest.blocks(r, n / 32, 32);
            byte[] expected = new byte[n / 32 * 18];
            byte[] got = new byte[expected.length];
            LegacyRows.scalar().symmetric(4, x, 0, n, expected, 0);
            hybrid.symmetric(4, x, 0, n, got, 0);
            assertArrayEquals(expected, got, "trial " + t);
            expected = new byte[n / 32 * 34];
            got = new byte[expected.length];
            LegacyRows.scalar().q8_0(x, 0, n, expected, 0);
            hybrid.q8_0(x, 0, n, got, 0);
            assertArrayEquals(expected, got, "trial " + t);
        }
    }
}
