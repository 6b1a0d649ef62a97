package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The unobserved sequence path runs the last block past its keys and values on the asked rows only and one output
 * product per batch; its logits must be those of the whole last block and a product per sequence bit for bit. That
 * path is still what an observer that accepts shared batches gets (it sees every row of every matmul), so a
 * do-nothing such observer gives the reference.
 */
class LastRowsTest {
    /** Observes nothing, but forces the whole last block and an output product per sequence. */
    private static final ActivationObserver FULL = new ActivationObserver() {
        @Override
        public void observe(String weight, int expert, float[] rows, int tokens, int width) {
        }

        @Override
        public boolean acceptsSequenceBatches() {
            return true;
        }
    };

    @Test
    void askedRowsGiveTheWholeBlocksBits() throws IOException {
        // stories260K: GQA (8 heads, 4 KV heads); synth-8L and tiny-shakespeare: generated and trained F16; the
        // Q4_K_M file: the kernel's Q4_K/Q6_K decoding; qwen3: q/k norms; qwen2: biases
        // synth-moe: experts run the whole last block (shared arrays and one output product still)
        String[] models = {"stories260K", "synth-8L", "synth-qwen2", "synth-qwen3", "synth-moe",
            "tiny-shakespeare-256-f16"};
        boolean gqa = false;
        for (String model : models) {
            for (RunOptions options : model.startsWith("synth-q") || model.equals("tiny-shakespeare-256-f16")
                    ? new RunOptions[] {RunOptions.defaults().withThreads(2)}
                    : new RunOptions[] {RunOptions.defaults().withThreads(2), RunOptions.llamaCppEmulation().withThreads(2)}) {
                try (ModelRunner runner = ModelRunner.open(Reference.model(model), LlamaLogitsTest.REGISTRY, options)) {
                    gqa |= runner.spec().headsKv() < runner.spec().heads();
                    compare(runner, model);
                }
            }
        }
        try (ModelRunner runner = ModelRunner.open(Reference.model("stories260K").resolveSibling(
                        "../reference/trained/tiny-shakespeare-256-Q4_K_M.gguf").normalize(), LlamaLogitsTest.REGISTRY,
                RunOptions.defaults().withThreads(2))) {
            compare(runner, "Q4_K_M");
        }
        assertTrue(gqa, "a grouped-query model is among them");
    }

    private static void compare(ModelRunner runner, String model) {
        int ctx = Math.min(runner.contextLength(), 300);
        SplittableRandom r = new SplittableRandom(model.hashCode());
        // several sequences per batch, lengths on and off the 64-row query blocks, one shorter than some firstRows
        List<int[]> seqs = new ArrayList<>();
        for (int len : new int[] {ctx, ctx - 37, 130, 64, 17}) {
            seqs.add(r.ints(len, 0, runner.vocabSize()).toArray());
        }
        for (int firstRow : new int[] {1, 3, 63, 64, 100, 128, 150, ctx - 38, ctx - 3, ctx + 1}) {
            float[][] full = new float[seqs.size()][];
            runner.logits(seqs, firstRow, false, FULL, (i, logits) -> full[i] = logits);
            for (boolean streaming : new boolean[] {false, true}) {
                float[][] rows = new float[seqs.size()][];
                runner.logits(seqs, firstRow, streaming, (int i, float[] l, int offset, int length) ->
                        rows[i] = Arrays.copyOfRange(l, offset, offset + length));
                float[][] own = new float[seqs.size()][];
                runner.logits(seqs, firstRow, streaming, (i, logits) -> own[i] = logits);
                for (int i = 0; i < seqs.size(); i++) {
                    String at = model + " firstRow " + firstRow + " sequence " + i + " streaming " + streaming;
                    assertEquals(Math.max(0, seqs.get(i).length - firstRow) * runner.vocabSize(), full[i].length, at);
                    assertArrayEquals(full[i], rows[i], 0f, at);
                    assertArrayEquals(full[i], own[i], 0f, at + " (own arrays)");
                }
            }
        }
    }

    /** The cases above do leave rows out (else the test could not fail), and not where bits would move. */
    @Test
    void rowsAreLeftOutOnlyWhereTheBitsStay() {
        List<int[]> seqs = List.of(new int[300], new int[263], new int[130], new int[64], new int[17]);
        int[] from = Transformer.lastRows(true, seqs, 100, ActivationObserver.NONE, 4);
        assertNotNull(from);
        assertArrayEquals(new int[] {64, 64, 64, 64, 17}, from, "whole 64-row query blocks; the last takes the rest");
        // the last block of a sequence takes the rest (300 rows: 192 .. 299)
        assertArrayEquals(new int[] {192, 192, 130, 64, 17},
                Transformer.lastRows(true, seqs, 262, ActivationObserver.NONE, 4));
        assertNull(Transformer.lastRows(false, seqs, 100, ActivationObserver.NONE, 4), "experts");
        assertNull(Transformer.lastRows(true, seqs, 100, FULL, 4), "an observer sees every row");
        assertNull(Transformer.lastRows(true, seqs, 0, ActivationObserver.NONE, 4), "all rows asked");
        assertNull(Transformer.lastRows(true, List.of(new int[30], new int[20]), 5, ActivationObserver.NONE, 4),
                "one query block per sequence holds row 5: nothing to leave out");
        // 3 rows kept of a 6-row batch would cross the kernel's batch size: the whole block runs
        List<int[]> tiny = List.of(new int[2], new int[3], new int[1]);
        assertNull(Transformer.lastRows(true, tiny, 2, ActivationObserver.NONE, 4));
        assertArrayEquals(new int[] {2, 0, 1}, Transformer.lastRows(true, tiny, 2, ActivationObserver.NONE, 1));
    }
}
