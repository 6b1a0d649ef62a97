package dev.quant4j.eval.imatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.LogitsSource;
import dev.quant4j.eval.metrics.PerplexityRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library face of llama-imatrix: chunks fed to the model, statistics collected, perplexity, output written. */
class ImatrixJobTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImatrixJobTest.class.getClassLoader());
    private static final int V = 10;

    @TempDir
    Path dir;

    /** Logits depend on the last token; the dense input of a row is (token, 1); experts route by token parity. */
    private static final class Model implements ActivationSource, LogitsSource {
        final List<int[]> seen = new ArrayList<>();

        @Override
        public int vocabSize() {
            return V;
        }

        @Override
        public float[] run(int[] tokens, ActivationSink sink) {
            seen.add(tokens.clone());
            float[] x = new float[2 * tokens.length];
            int[] ids = new int[tokens.length];
            for (int t = 0; t < tokens.length; t++) {
                x[2 * t] = tokens[t];
                x[2 * t + 1] = 1;
                ids[t] = tokens[t] % 2;
            }
            sink.dense("blk.0.attn_v.weight", x, tokens.length, 2);
            sink.routed("blk.0.ffn_down_exps.weight", 2, x, tokens.length, 1, 2, ids, 1);
            return logits(tokens);
        }

        @Override
        public float[] logits(int[] tokens) {
            float[] l = new float[tokens.length * V];
            for (int t = 0; t < tokens.length; t++) {
                l[t * V + (tokens[t] + 1) % V] = 2f;
                l[t * V + (tokens[t] * 3) % V] += 1f;
            }
            return l;
        }
    }

    @Test
    void collectsEveryChunkWithBosFirstAndScoresLikePerplexity() throws IOException {
        int[] tokens = new int[100];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 2 + (i * 7) % (V - 2);
        }
        tokens[0] = 1;
        Model model = new Model();
        Path out = dir.resolve("i.gguf");
        ImatrixJob.Result r = ImatrixJob.builder(REGISTRY).output(out).chunkSize(20).maxChunks(4)
                .collect(tokens, model, 1, "calib.txt").build().run();
        assertEquals(4, model.seen.size());
        for (int k = 0; k < 4; k++) {
            assertEquals(1, model.seen.get(k)[0]);                           // BOS replaces each chunk's first token
            assertEquals(tokens[k * 20 + 5], model.seen.get(k)[5]);
        }
        assertEquals(4, r.chunkCount());
        assertEquals(2, r.entries());
        double expected = new PerplexityRun(new ChunkPlan(20, 4), 1, ChunkListener.NONE).run(tokens, model).perplexity();
        assertEquals(expected, r.perplexity().orElseThrow().perplexity());
        ImatrixFile f = ImatrixFiles.load(out, REGISTRY);
        assertEquals(List.of("calib.txt"), f.datasets());
        ImatrixEntry v = f.entries().get("blk.0.attn_v.weight");
        assertArrayEquals(new long[] {80}, v.counts());
        double sum = 0;
        for (int[] chunk : model.seen) {
            for (int t : chunk) {
                sum += (double) t * t;
            }
        }
        assertEquals(sum, v.sums()[0], 0.0);                                // small integers: exact in float
        assertEquals(80f, v.sums()[1]);
        long[] experts = f.entries().get("blk.0.ffn_down_exps.weight").counts();
        assertEquals(80, experts[0] + experts[1]);
    }

    @Test
    void refusesAJobWithNothingToDo() {
        QuantException e = assertThrows(QuantException.class, () -> ImatrixJob.builder(REGISTRY).build());
        assertTrue(e.getMessage().contains("nothing to do"));
        assertThrows(QuantException.class, () -> ImatrixJob.builder(REGISTRY).inFile(dir.resolve("a")).resume(true).build());
        assertTrue(Files.notExists(dir.resolve("imatrix.gguf")));
    }
}
