package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.MetaType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental decoding, quantized weights, metadata and the errors a user sees before any work. */
class ModelRunnerTest {
    private static final QuantRegistry REGISTRY = LlamaLogitsTest.REGISTRY;

    @Test
    void incrementalDecodeGivesTheBatchLogits() throws IOException {
        int[] ids = Reference.ids("synth-qwen3moe");
        for (String model : new String[] {"stories260K", "synth-qwen3moe"}) {
            try (ModelRunner runner = ModelRunner.open(Reference.model(model), REGISTRY,
                    RunOptions.defaults().withThreads(2))) {
                int v = runner.vocabSize();
                float[] batch = runner.logits(ids);
                Session s = runner.newSession();
                float[] prompt = s.append(Arrays.copyOf(ids, 10));
                assertArrayEquals(Arrays.copyOf(batch, 10 * v), prompt, 1e-4f, model + " prompt rows");
                for (int t = 10; t < ids.length; t++) {
                    float[] next = s.appendForNext(ids[t]);
                    assertEquals(t + 1, s.position());
                    assertArrayEquals(Arrays.copyOfRange(batch, t * v, (t + 1) * v), next, 1e-4f, model + " row " + t);
                }
            }
        }
    }

    /** 700 tokens run as micro-batches of 512 + 188; the same rows come out of 300 + 400 in one session. */
    @Test
    void longBatchesSplitIntoMicroBatchesConsistently() throws IOException {
        int[] ids = Reference.storiesSampleIds(700);
        try (ModelRunner runner = ModelRunner.open(Reference.model("stories260K"), REGISTRY,
                RunOptions.defaults().withThreads(2))) {
            float[] whole = runner.logits(ids);
            Session s = runner.newSession();
            float[] a = s.append(Arrays.copyOf(ids, 300));
            float[] b = s.append(Arrays.copyOfRange(ids, 300, 700));
            int v = runner.vocabSize();
            assertArrayEquals(Arrays.copyOf(whole, 300 * v), a, 1e-4f);
            assertArrayEquals(Arrays.copyOfRange(whole, 300 * v, 700 * v), b, 1e-4f);
            assertEquals(700, s.position());
        }
    }

    @Test
    void threadCountDoesNotChangeTheResult() throws IOException {
        int[] ids = Reference.ids("synth-qwen2");
        float[] one;
        try (ModelRunner r = ModelRunner.open(Reference.model("synth-qwen2"), REGISTRY, RunOptions.defaults().withThreads(1))) {
            one = r.logits(ids);
        }
        try (ModelRunner r = ModelRunner.open(Reference.model("synth-qwen2"), REGISTRY, RunOptions.defaults().withThreads(3))) {
            assertArrayEquals(one, r.logits(ids), "tiles are summed identically whichever thread runs them");
        }
    }

    /**
     * Quantized weights go through the registry's dequantizers. llama.cpp measures a mean KL divergence against
     * the F16 model of 0.000108 (Q8_0) and 0.003238 (Q4_K_M) on held-out text (reference/eval/kld); over the
     * 64 reference positions ours must stay within 5x of those means against llama.cpp's F16 logits.
     */
    @Test
    void quantizedModelsRunCloseToTheF16Logits() throws IOException {
        int[] ids = Reference.ids("tiny-shakespeare-256-f16");
        float[] ref = Reference.logits("tiny-shakespeare-256-f16");
        String[] types = {"Q8_0", "Q4_K_M"};
        double[] llamaCppKld = {0.000108, 0.003238};
        for (int i = 0; i < types.length; i++) {
            Path file = Reference.file("reference/trained/tiny-shakespeare-256-" + types[i] + ".gguf");
            try (ModelRunner runner = ModelRunner.open(file, REGISTRY, RunOptions.defaults().withThreads(2))) {
                float[] ours = runner.logits(ids);
                double kld = meanKld(ref, ours, runner.vocabSize());
                LogitsComparison c = LogitsComparison.of(ours, ref, runner.vocabSize());
                System.err.printf("tiny-shakespeare-256-%s vs F16 reference: mean KLD %.3g; %s%n", types[i], kld, c);
                assertTrue(kld < 5 * llamaCppKld[i], types[i] + " mean KLD " + kld);
            }
        }
    }

    /**
     * Every quantized tiny-shakespeare-256 reference (K-quants, legacy, IQ1..IQ4, TQ2_0) runs through the
     * registry's dequantizers; a type whose llama-perplexity KLD is in reference/eval/kld must stay within 5x of
     * it, the others must give finite logits with a mean KLD below 2 nats against the F16 logits (TQ2_0, ternary
     * weights for a model not trained for them, measures 1.13).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"Q2_K, 0.041396", "IQ4_XS, 0.004276", "IQ2_XXS-imat, 0.077871",
            "Q6_K, 0", "Q5_K_M, 0", "Q4_0, 0", "Q3_K_M, 0", "IQ3_XXS-imat, 0", "IQ1_S-imat, 0", "TQ2_0, 0"})
    void everyQuantizedTypeRuns(String type, double llamaCppKld) throws IOException {
        int[] ids = Reference.ids("tiny-shakespeare-256-f16");
        float[] ref = Reference.logits("tiny-shakespeare-256-f16");
        Path file = Reference.file("reference/trained/tiny-shakespeare-256-" + type + ".gguf");
        try (ModelRunner runner = ModelRunner.open(file, REGISTRY, RunOptions.defaults().withThreads(2))) {
            float[] ours = runner.logits(ids);
            for (float f : ours) {
                assertTrue(Float.isFinite(f), type + ": non-finite logit");
            }
            double kld = meanKld(ref, ours, runner.vocabSize());
            System.err.printf("tiny-shakespeare-256-%s: mean KLD %.4g vs F16 reference (llama.cpp on held-out text: %s)%n",
                    type, kld, llamaCppKld > 0 ? llamaCppKld : "-");
            assertTrue(kld < (llamaCppKld > 0 ? 5 * llamaCppKld : 2.0), type + " mean KLD " + kld);
        }
    }

    /** Mean over rows of KL(softmax(p) || softmax(q)). */
    static double meanKld(float[] p, float[] q, int vocab) {
        int rows = p.length / vocab;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double[] lp = logSoftmax(p, r * vocab, vocab);
            double[] lq = logSoftmax(q, r * vocab, vocab);
            for (int i = 0; i < vocab; i++) {
                total += Math.exp(lp[i]) * (lp[i] - lq[i]);
            }
        }
        return total / rows;
    }

    private static double[] logSoftmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[off + i] - max);
        }
        double log = Math.log(sum);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = x[off + i] - max - log;
        }
        return out;
    }

    @Test
    void exposesMetadataForTheTokenizer() throws IOException {
        try (ModelRunner runner = ModelRunner.open(Reference.model("stories260K"), REGISTRY, RunOptions.defaults())) {
            assertEquals(512, runner.vocabSize());
            assertEquals(2048, runner.contextLength());
            assertEquals("llama", runner.metadata().getString("tokenizer.ggml.model").orElseThrow());
            assertEquals(8, runner.spec().rope().dimensions());
            assertEquals(4, runner.spec().headsKv());
        }
    }

    @Test
    void unsupportedArchitectureIsRefusedByName(@TempDir Path dir) throws IOException {
        Path file = Models.withMetadata(REGISTRY, Reference.model("stories260K"), dir.resolve("gpt2.gguf"),
                m -> m.with("general.architecture", new MetaValue.Text("gpt2")));
        QuantException e = assertThrows(QuantException.class,
                () -> ModelRunner.open(file, REGISTRY, RunOptions.defaults()));
        assertEquals(ErrorCode.UNKNOWN_NAME, e.code());
        assertTrue(e.getMessage().contains("architecture 'gpt2' is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("llama, qwen2, qwen3, qwen3moe"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTheTensor(@TempDir Path dir) throws IOException {
        Path file = Models.withMetadata(REGISTRY, Reference.model("stories260K"), dir.resolve("kv2.gguf"),
                m -> m.with("llama.attention.head_count_kv", new MetaValue.Int(MetaType.UINT32, 2)));
        QuantException e = assertThrows(QuantException.class,
                () -> ModelRunner.open(file, REGISTRY, RunOptions.defaults()));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e.code());
        assertTrue(e.getMessage().contains("tensor 'blk.0.attn_k.weight' has shape 64x32, expected 64x16"),
                e.getMessage());
    }

    @Test
    void missingKeyAndBadTokenAreClearErrors(@TempDir Path dir) throws IOException {
        Path file = Models.withMetadata(REGISTRY, Reference.model("stories260K"), dir.resolve("nokey.gguf"),
                m -> m.without("llama.block_count"));
        QuantException e = assertThrows(QuantException.class,
                () -> ModelRunner.open(file, REGISTRY, RunOptions.defaults()));
        assertTrue(e.getMessage().contains("'llama.block_count' is missing"), e.getMessage());
        try (ModelRunner runner = ModelRunner.open(Reference.model("stories260K"), REGISTRY, RunOptions.defaults())) {
            QuantException bad = assertThrows(QuantException.class, () -> runner.logits(1, 512));
            assertTrue(bad.getMessage().contains("token id 512 at index 1"), bad.getMessage());
        }
    }
}
