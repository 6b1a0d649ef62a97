package dev.quant4j.eval.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Weights that read one input share one second-moment accumulator: the statistics equal, bit for bit, those
 * accumulated per weight, while the memory held is what the shapes give by hand.
 */
class SharedInputMomentsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(SharedInputMomentsTest.class.getClassLoader());

    @Test
    void sharedAccumulatorsEqualPerWeightOnesInLessMemory() throws Exception {
        Path model = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve("models/stories260K.gguf");
        assumeTrue(Files.isRegularFile(model), model + " is absent (set -Dquant4j.shared): test skipped");
        ChannelStatsObserver shared = new ChannelStatsObserver(true);
        ChannelStatsObserver separate = new ChannelStatsObserver(true, false);
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, RunOptions.defaults().withThreads(1).withMaxContext(64))) {
            for (int chunk = 0; chunk < 2; chunk++) {
                int[] ids = new Random(chunk).ints(24, 1, runner.vocabSize()).toArray();
                // one forward pass feeding both, so they see the very same rows
                runner.newSession((w, e, rows, n, width) -> {
                    shared.observe(w, e, rows, n, width);
                    separate.observe(w, e, rows, n, width);
                }).append(ids);
            }
        }
        Map<String, ChannelStats> a = shared.stats();
        Map<String, ChannelStats> b = separate.stats();
        assertEquals(b.keySet(), a.keySet());
        for (String w : b.keySet()) {
            assertEquals(b.get(w).count(), a.get(w).count(), w);
            assertArrayEquals(b.get(w).absMax(), a.get(w).absMax(), w);
            assertArrayEquals(b.get(w).meanSquares(), a.get(w).meanSquares(), w);
            assertArrayEquals(b.get(w).secondMoments(), a.get(w).secondMoments(), w);
        }
        for (int l = 0; l < 5; l++) {
            String p = "blk." + l + ".";
            assertSame(a.get(p + "attn_q.weight"), a.get(p + "attn_k.weight"));
            assertSame(a.get(p + "attn_q.weight"), a.get(p + "attn_v.weight"));
            assertSame(a.get(p + "ffn_gate.weight"), a.get(p + "ffn_up.weight"));
        }
        // stories260K: width 64, feed-forward 172, 5 blocks; per input w·12 bytes (max, sum of squares) + w²·8
        long w64 = 64 * 12 + 64 * 64 * 8;
        long w172 = 172 * 12 + 172 * 172 * 8;
        long output = b.containsKey("output.weight") ? w64 : 0;
        assertEquals(5 * (6 * w64 + w172) + output, separate.heldBytes()); // q, k, v, o, gate, up; down
        assertEquals(5 * (3 * w64 + w172) + output, shared.heldBytes());
    }
}
