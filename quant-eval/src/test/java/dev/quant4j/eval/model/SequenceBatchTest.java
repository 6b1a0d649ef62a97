package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Independent sequences batched together (perplexity's chunks) give the logits each gives alone, and layer
 * streaming (every batch through a block before the next block) gives exactly the same logits as running each
 * batch through the whole model.
 */
class SequenceBatchTest {
    @Test
    void batchedAndLayerStreamedSequencesMatchSingleRuns() throws IOException {
        for (String model : new String[] {"stories260K", "synth-moe"}) {
            try (ModelRunner runner = ModelRunner.open(Reference.model(model), LlamaLogitsTest.REGISTRY,
                    RunOptions.defaults().withThreads(2))) {
                int v = runner.vocabSize();
                SplittableRandom r = new SplittableRandom(5);
                List<int[]> chunks = new ArrayList<>();
                // 2,600 tokens: two batches of BATCH_TOKENS, with a short last chunk
                for (int c = 0; c < 41; c++) {
                    chunks.add(r.ints(c == 40 ? 40 : 64, 0, v).toArray());
                }
                int first = 32;
                float[][] normal = new float[chunks.size()][];
                float[][] streamed = new float[chunks.size()][];
                runner.logits(chunks, first, false, (i, logits) -> normal[i] = logits);
                runner.logits(chunks, first, true, (i, logits) -> streamed[i] = logits);
                for (int i = 0; i < chunks.size(); i++) {
                    assertArrayEquals(normal[i], streamed[i], 0f, model + " chunk " + i + " streamed");
                    int[] c = chunks.get(i);
                    float[] alone = runner.logits(c);
                    assertEquals((c.length - first) * v, normal[i].length);
                    float[] rows = java.util.Arrays.copyOfRange(alone, first * v, alone.length);
                    // an expert sees fewer tokens alone (under 4: dot products, another summation order)
                    assertArrayEquals(rows, normal[i], model.equals("stories260K") ? 0f : 1e-5f,
                            model + " chunk " + i + " batched vs alone");
                }
            }
        }
    }

    /**
     * Layer streaming with the residual activations in a mapped temporary file (a 1-byte heap budget) gives the
     * logits of the heap run bit for bit, and deletes its file.
     */
    @Test
    void residualsInATemporaryFileGiveTheSameLogits() throws IOException {
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        for (String model : new String[] {"stories260K", "synth-moe"}) {
            List<int[]> chunks = new ArrayList<>();
            float[][] heap = new float[41][];
            float[][] file = new float[41][];
            try (ModelRunner runner = ModelRunner.open(Reference.model(model), LlamaLogitsTest.REGISTRY,
                    RunOptions.defaults().withThreads(2))) {
                SplittableRandom r = new SplittableRandom(9);
                for (int c = 0; c < 41; c++) {
                    chunks.add(r.ints(c == 40 ? 40 : 64, 0, runner.vocabSize()).toArray());
                }
                runner.logits(chunks, 16, true, (i, logits) -> heap[i] = logits);
            }
            try (ModelRunner runner = ModelRunner.open(Reference.model(model), LlamaLogitsTest.REGISTRY,
                    RunOptions.defaults().withThreads(2).withResidualBudget(1))) {
                long[] seen = {0};
                runner.logits(chunks, 16, true, (i, logits) -> {
                    file[i] = logits;
                    seen[0] = Math.max(seen[0], residualFiles(tmp));   // the file exists while logits are emitted
                });
                assertEquals(1, seen[0], model + ": one mapped temporary file while streaming");
            }
            for (int i = 0; i < chunks.size(); i++) {
                assertArrayEquals(heap[i], file[i], 0f, model + " chunk " + i);
            }
            assertEquals(0, residualFiles(tmp), "the temporary file is deleted");
        }
    }

    /** An interrupted layer-streamed run (Ctrl-C) stops with a CancellationException and deletes its temporary file. */
    @Test
    void interruptedLayerStreamingStopsAndDeletesItsFile() throws IOException {
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        // budget 1 byte: interrupted while mapping the file; 1 GB: on the heap, stopped before the first block
        for (long budget : new long[] {1, 1L << 30}) {
            try (ModelRunner runner = ModelRunner.open(Reference.model("stories260K"), LlamaLogitsTest.REGISTRY,
                    RunOptions.defaults().withThreads(2).withResidualBudget(budget))) {
                List<int[]> chunks = List.of(new int[] {1, 2, 3, 4}, new int[] {5, 6, 7, 8});
                Thread.currentThread().interrupt();
                try {
                    org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class,
                            () -> runner.logits(chunks, 0, true, (i, logits) -> { }));
                } finally {
                    Thread.interrupted();
                }
            }
            assertEquals(0, residualFiles(tmp));
        }
    }

    private static long residualFiles(java.nio.file.Path dir) {
        try (var s = java.nio.file.Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("quant4j-residuals-")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
