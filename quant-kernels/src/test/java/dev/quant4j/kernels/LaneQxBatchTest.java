package dev.quant4j.kernels;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The lane-per-block Qx search must equal the one-block reference bit for bit, scratch reused across calls. */
class LaneQxBatchTest {
    private static final int[][] CONFIGS = {{16, 32}, {16, 4}, {32, 8}, {32, 16}};

    @Test
    void equalsReferenceOnMixedBlocksAcrossGroups() {
        SplittableRandom r = new SplittableRandom(21);
        LaneQxBatch[] searches = {new LaneQxBatch(16), new LaneQxBatch(32)};
        for (int t = 0; t < 120; t++) {
            int[] cfg = CONFIGS[t % CONFIGS.length];
            // up to 2.5 groups, so the second and third groups are partial and reuse a fuller group's scratch
            int lanes = 1 + r.nextInt(LaneQxBatch.LANES * 5 / 2);
            float[] x = LanesOracleTest.blocks(r, lanes, cfg[0]);
            float[] qw = r.nextBoolean() ? null : LanesOracleTest.weights(r, x, r.nextBoolean());
            LanesOracleTest.checkQx(searches[cfg[0] == 16 ? 0 : 1], cfg[0], cfg[1], lanes, x, qw, "mixed trial " + t);
        }
    }

    /** Largest values from Float.MAX_VALUE down to subnormal: the level arguments stay small (see the class). */
    @Test
    void equalsReferenceAtExtremeMagnitudes() {
        SplittableRandom r = new SplittableRandom(22);
        LaneQxBatch[] searches = {new LaneQxBatch(16), new LaneQxBatch(32)};
        for (int t = 0; t < 60; t++) {
            int[] cfg = CONFIGS[t % CONFIGS.length];
            int n = cfg[0];
            int lanes = 1 + r.nextInt(200);
            float[] x = LanesOracleTest.extremeBlocks(r, lanes, n);
            float[] qw = r.nextBoolean() ? null : LanesOracleTest.weights(r, x, false);
            LanesOracleTest.checkQx(searches[n == 16 ? 0 : 1], n, cfg[1], lanes, x, qw, "extreme trial " + t);
        }
    }

    /** Q6_K's per-thread search (this kernel without the vector module, the gated vector one with it). */
    @Test
    void perThreadDispatcherEqualsReference() {
        SplittableRandom r = new SplittableRandom(23);
        QxBatch search = QxBatch.perThread(16);
        for (int t = 0; t < 40; t++) {
            int lanes = 1 + r.nextInt(300);
            float[] x = LanesOracleTest.blocks(r, lanes, 16);
            float[] qw = t % 3 == 0 ? LanesOracleTest.weights(r, x, false) : null;
            LanesOracleTest.checkQx(search, 16, 32, lanes, x, qw, "trial " + t);
        }
    }
}
