package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which calls probe a closed gate, and that every call still covers each unit exactly once. */
class PacedProbeTest {
    /** Records the parts of one call: "v" or "s" with the range. */
    private static List<String> call(PacedProbe p, int n, int probeUnits, long probeSleepMillis) {
        List<String> parts = new ArrayList<>();
        p.run(n, probeUnits, (vector, from, count) -> {
            parts.add((vector ? "v" : "s") + from + "+" + count);
            if (vector && probeSleepMillis > 0) {
                sleep(probeSleepMillis);
            }
        });
        return parts;
    }

    @Test
    void probesEveryCallUntilTheEagerProbesAreSpentThenRestsForFourTimesTheProbingCall() {
        WarmGate gate = new WarmGate(false);
        PacedProbe p = new PacedProbe(gate);
        assertEquals(List.of("s0+40"), call(p, 40, 16, 0), "no probe before the gate has a scalar timing");
        // that call counts as the first eager one (it went through the gate)
        for (int i = 1; i < PacedProbe.EAGER - 1; i++) {
            assertEquals(List.of("v0+16", "s16+24"), call(p, 40, 16, 0), "eager probe " + i);
        }
        // the last eager probe is slow (an uncompiled kernel): the calls right after it stay scalar
        assertEquals(List.of("v0+16", "s16+24"), call(p, 40, 16, 30));
        long rest = System.nanoTime() + PacedProbe.QUIET * 30_000_000L;
        int scalarCalls = 0;
        List<String> parts;
        while ((parts = call(p, 40, 16, 0)).equals(List.of("s0+40"))) {
            scalarCalls++;
            sleep(5);
        }
        assertTrue(System.nanoTime() >= rest, "probed again before resting four times the probing call");
        assertTrue(scalarCalls > 0);
        assertEquals(List.of("v0+16", "s16+24"), parts, "the next probe after the rest");
    }

    @Test
    void anOpenGateRunsEverythingVector() {
        WarmGate gate = new WarmGate(false);
        gate.scalarTimed(1_000_000, 1);
        for (int i = 0; i < WarmGate.WINS; i++) {
            gate.probed(1, 1);
        }
        assertTrue(gate.isOpen());
        assertEquals(List.of("v0+40"), call(new PacedProbe(gate), 40, 16, 0));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
