package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.registry.QuantRegistry;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Causal attention computes only the unmasked part (query blocks see the keys up to their last row) and runs in
 * parallel over (segment, KV head, block). Skipping the masked triangle must give the bits the full computation
 * gives, whatever the blocks are: a sequence run as one batch, as 300 + 400 tokens (other block boundaries and key
 * counts) and with 1 or 3 threads gives identical logits.
 */
class CausalAttentionTest {
    private static final QuantRegistry REGISTRY = LlamaLogitsTest.REGISTRY;

    @Test
    void blocksCoverEverySegmentWithTheKeysTheirRowsSee() {
        KvCache none = null;
        // a fresh 130-row segment, then a 200-row one continuing at position 10, then 3 rows (decoding-sized)
        Segments segs = new Segments(new int[] {130, 200, 3}, new int[] {0, 10, 5}, new KvCache[] {none, none, none});
        CausalBlocks b = CausalBlocks.of(segs, 2);
        // blocks: seg 0 [0,130) (130 / 64 = 2 blocks: [0,64) [64,130)); seg 1 [0,64) [64,128) [128,200); seg 2 [0,3)
        int[][] expected = { // segment, first row, rows, keys (pos + the block's end, rounded up to 64)
            {0, 0, 64, 64}, {0, 64, 66, 192},
            {1, 0, 64, 128}, {1, 64, 64, 192}, {1, 128, 72, 256},
            {2, 0, 3, 64}};
        assertEquals(expected.length * 2, b.items());
        int[][] seen = new int[b.items()][];
        for (int i = 0; i < b.items(); i++) {
            int item = b.item(i);
            seen[i] = new int[] {b.segment(item), b.firstRow(item), b.rows(item), b.keys(item), b.head(item)};
        }
        // largest (rows x keys) first
        for (int i = 1; i < seen.length; i++) {
            assertEquals(true, (long) seen[i - 1][2] * seen[i - 1][3] >= (long) seen[i][2] * seen[i][3], "order at " + i);
        }
        for (int[] e : expected) {
            for (int h = 0; h < 2; h++) {
                int hh = h;
                assertEquals(1, Arrays.stream(seen).filter(s -> s[0] == e[0] && s[1] == e[1] && s[2] == e[2]
                        && s[3] == e[3] && s[4] == hh).count(), Arrays.toString(e) + " head " + h);
            }
        }
        assertEquals(72, b.maxRows());
        assertEquals(256, b.maxKeys());
    }

    @Test
    void skippingTheMaskedTriangleGivesTheSameBitsWhateverTheBlocks() throws IOException {
        int[] ids = Reference.storiesSampleIds(700);
        float[] whole;
        try (ModelRunner runner = ModelRunner.open(Reference.model("stories260K"), REGISTRY,
                RunOptions.defaults().withThreads(2))) {
            whole = runner.logits(ids);
            Session s = runner.newSession();
            float[] a = s.append(Arrays.copyOf(ids, 300));
            float[] b = s.append(Arrays.copyOfRange(ids, 300, 700));
            int v = runner.vocabSize();
            assertArrayEquals(Arrays.copyOf(whole, 300 * v), a, "rows 0..299 (512 + 188 vs 300 + 400)");
            assertArrayEquals(Arrays.copyOfRange(whole, 300 * v, 700 * v), b, "rows 300..699");
        }
        for (int threads : new int[] {1, 3}) {
            try (ModelRunner runner = ModelRunner.open(Reference.model("stories260K"), REGISTRY,
                    RunOptions.defaults().withThreads(threads))) {
                assertArrayEquals(whole, runner.logits(ids), threads + " threads");
            }
        }
    }
}
