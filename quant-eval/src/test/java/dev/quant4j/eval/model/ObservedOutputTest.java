package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An observer that declines the output matrix ({@link ActivationObserver#observes}, as imatrix does without
 * {@code --process-output}) gets the output product of an unobserved run, one per batch. Its logits must be bit for
 * bit those an observer of every matmul gets (a product per sequence and micro-batch), and it must see every other
 * matmul exactly as that observer does: same weights, order, row counts and rows.
 */
class ObservedOutputTest {
    private record Call(String weight, int expert, int tokens, int width, int rows) {
    }

    /** Records every matmul it is shown; declines the weights outside the blocks when {@code blocksOnly}. */
    private static final class Recorder implements ActivationObserver {
        private final boolean blocksOnly;
        private final List<Call> calls = new ArrayList<>();

        Recorder(boolean blocksOnly) {
            this.blocksOnly = blocksOnly;
        }

        @Override
        public void observe(String weight, int expert, float[] rows, int tokens, int width) {
            calls.add(new Call(weight, expert, tokens, width, Arrays.hashCode(Arrays.copyOf(rows, tokens * width))));
        }

        @Override
        public boolean observes(String weight) {
            return !blocksOnly || weight.startsWith("blk.");
        }

        @Override
        public boolean acceptsSequenceBatches() {
            return true;
        }
    }

    @Test
    void declinedOutputGivesTheObservedLogitsAndTheSameOtherMatmuls() throws IOException {
        for (String model : new String[] {"stories260K", "synth-moe"}) {
            try (ModelRunner runner = ModelRunner.open(Reference.model(model), LlamaLogitsTest.REGISTRY,
                    RunOptions.defaults().withThreads(2))) {
                SplittableRandom r = new SplittableRandom(7);
                int ctx = runner.contextLength();
                // chunks that share batches; and (stories260K, 2048 context) chunks past one 512-row micro-batch,
                // each then a batch of its own in micro-batches, with 3 (fewer than the kernel's batch) or more
                // asked rows in the last one
                List<List<int[]>> cases = new ArrayList<>();
                cases.add(List.of(r.ints(300, 0, runner.vocabSize()).toArray(), r.ints(130, 0, runner.vocabSize())
                        .toArray(), r.ints(17, 0, runner.vocabSize()).toArray()));
                if (ctx >= 600) {
                    cases.add(List.of(r.ints(600, 0, runner.vocabSize()).toArray(),
                            r.ints(520, 0, runner.vocabSize()).toArray()));
                }
                for (List<int[]> seqs : cases) {
                    for (int firstRow : new int[] {0, 1, 100, 256, 509, 516, 517}) {
                        compare(runner, model, seqs, firstRow);
                    }
                }
            }
        }
    }

    private static void compare(ModelRunner runner, String model, List<int[]> seqs, int firstRow) {
        Recorder all = new Recorder(false);
        Recorder blocks = new Recorder(true);
        float[][] seen = new float[seqs.size()][];
        float[][] declined = new float[seqs.size()][];
        runner.logits(seqs, firstRow, false, all, (i, logits) -> seen[i] = logits);
        runner.logits(seqs, firstRow, false, blocks, (int i, float[] l, int offset, int length) ->
                declined[i] = Arrays.copyOfRange(l, offset, offset + length));
        String at = model + " " + seqs.size() + " sequences, firstRow " + firstRow;
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(Math.max(0, seqs.get(i).length - firstRow) * runner.vocabSize(), seen[i].length, at);
            assertArrayEquals(seen[i], declined[i], 0f, at + " sequence " + i);
        }
        List<Call> inBlocks = all.calls.stream().filter(c -> c.weight().startsWith("blk.")).toList();
        assertEquals(inBlocks, blocks.calls, at);
        boolean asked = seqs.stream().anyMatch(q -> q.length > firstRow);
        assertEquals(asked, all.calls.size() > inBlocks.size(), at + ": the output matrix is shown when rows are asked");
    }

    @Test
    void oneProductKeepsTheBitsOfAProductPerMicroBatch() {
        // batchTokens 4: every 512-row micro-batch must hold none or at least 4 of the asked rows
        assertTrue(Transformer.microBatchesKeepBits(512, 256, 4));
        assertTrue(Transformer.microBatchesKeepBits(512, 512, 4), "no row asked");
        assertTrue(Transformer.microBatchesKeepBits(520, 260, 4), "252 and 8 rows");
        assertTrue(Transformer.microBatchesKeepBits(520, 516, 4), "none and 4 rows");
        assertFalse(Transformer.microBatchesKeepBits(520, 517, 4), "3 rows in the second micro-batch");
        assertFalse(Transformer.microBatchesKeepBits(520, 509, 4), "3 rows in the first");
        assertFalse(Transformer.microBatchesKeepBits(515, 0, 4), "a micro-batch of 3 rows");
        assertTrue(Transformer.microBatchesKeepBits(515, 0, 1), "one path for every batch size");
    }
}
