package dev.quant4j.eval.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.imatrix.ImatrixEntry;
import dev.quant4j.eval.imatrix.ImatrixFile;
import dev.quant4j.eval.imatrix.ImatrixFiles;
import dev.quant4j.eval.imatrix.ImatrixJob;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.metrics.KldBaseReader;
import dev.quant4j.eval.metrics.KldRun;
import dev.quant4j.eval.metrics.KldStatistics;
import dev.quant4j.eval.metrics.PerplexityResult;
import dev.quant4j.eval.metrics.PerplexityRun;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The measurements end to end through the library alone ({@link EvaluationModel} + quant-eval's drivers) against
 * llama.cpp 34af94cd's runs in reference/eval: perplexity (the final {@code PPL = x +/- err} of its logs, within
 * 1e-3 relative), imatrix (every in_sum2 within 1e-3 relative L2, identical counts) and KLD (a short sanity run).
 * Default options (exact F32 activations and K/V cache), 2 threads.
 */
class EvaluationReferenceTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(EvaluationReferenceTest.class.getClassLoader());
    private static final Pattern FINAL = Pattern.compile("Final estimate: PPL = ([0-9.]+) \\+/- ([0-9.]+)");
    private static final Pattern IMATRIX_PPL = Pattern.compile("\\[10\\]([0-9.]+),");

    private static EvaluationModel open(String model) throws IOException {
        return EvaluationModel.open(SharedData.require(model), REGISTRY, RunOptions.defaults().withThreads(2));
    }

    private static double[] finalEstimate(Path log) throws IOException {
        Matcher m = FINAL.matcher(Files.readString(log));
        assertTrue(m.find(), log + " has no final estimate");
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "models/stories260K.gguf; text/tinystories_sample.txt; 128; 20; stories260K.c128x20.log",
        "reference/trained/tiny-shakespeare-256-f16.gguf; reference/trained/tiny-shakespeare-256-heldout.txt; 128; 20; tiny-shakespeare-256-f16.c128x20.log",
        "reference/synth/synth-8L.gguf; text/tinystories_sample.txt; 128; 8; synth-8L.c128x8.log",
        "reference/eval/models/synth-qwen2.gguf; text/tinystories_sample.txt; 128; 8; synth-qwen2.c128x8.log",
        "reference/eval/models/synth-qwen3.gguf; text/tinystories_sample.txt; 128; 8; synth-qwen3.c128x8.log",
        "reference/eval/models/synth-moe.gguf; text/tinystories_sample.txt; 128; 8; synth-moe.c128x8.log",
        "reference/eval/models/synth-qwen3moe.gguf; text/tinystories_sample.txt; 128; 8; synth-qwen3moe.c128x8.log"})
    void perplexityMatchesLlamaPerplexity(String model, String text, int nCtx, int chunks, String log) throws IOException {
        double[] ref = finalEstimate(SharedData.require("reference/eval/perplexity/" + log));
        try (EvaluationModel m = open(model)) {
            int[] tokens = m.tokenizer().encode(EvalText.read(SharedData.require(text)), true, false);
            PerplexityResult r = new PerplexityRun(ChunkPlan.of(tokens.length, nCtx, chunks), m.chunkBos(),
                    ChunkListener.NONE).run(tokens, m);
            assertEquals(ref[0], r.perplexity(), 1e-3 * ref[0], "PPL");
            assertEquals(ref[1], r.error(), 2e-3 * ref[1], "its standard error");
        }
    }

    /**
     * llama-imatrix -c 128 --chunks 10. synth-qwen3moe has router near-ties (k-th and (k+1)-th probabilities a few
     * 1e-4 apart) that llama.cpp's F16-rounded activations decide differently for a handful of the 2560 (token,
     * slot) pairs (see ObserverImatrixTest): counts may differ by up to 0.5 % per weight and sums by 3e-2.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "models/stories260K.gguf; text/tinystories_sample.txt; stories260K; 1e-3; 0",
        "reference/trained/tiny-shakespeare-256-f16.gguf; reference/trained/tiny-shakespeare-256-heldout.txt; tiny-shakespeare-256-f16; 1e-3; 0",
        "reference/eval/models/synth-moe.gguf; text/tinystories_sample.txt; synth-moe; 1e-3; 0",
        "reference/eval/models/synth-qwen3moe.gguf; text/tinystories_sample.txt; synth-qwen3moe; 3e-2; 0.005"})
    void imatrixMatchesLlamaImatrix(String model, String text, String name, double sumTolerance,
                                    double countTolerance, @TempDir Path dir) throws IOException {
        Path refFile = SharedData.require("reference/eval/imatrix/" + name + ".imatrix.gguf");
        Path textFile = SharedData.require(text);
        Path out = dir.resolve("imatrix.gguf");
        ImatrixJob.Result r;
        try (EvaluationModel m = open(model)) {
            int[] tokens = m.tokenizer().encode(EvalText.read(textFile), true, false);
            r = ImatrixJob.builder(REGISTRY).output(out).chunkSize(128).maxChunks(10)
                    .collect(tokens, m, m.chunkBos(), textFile.getFileName().toString()).build().run();
        }
        ImatrixFile ref = ImatrixFiles.load(refFile, REGISTRY);
        ImatrixFile ours = ImatrixFiles.load(out, REGISTRY);
        assertEquals(ref.chunkCount(), ours.chunkCount());
        assertEquals(ref.datasets(), ours.datasets());
        assertEquals(ref.entries().keySet(), ours.entries().keySet());
        for (Map.Entry<String, ImatrixEntry> e : ref.entries().entrySet()) {
            ImatrixEntry a = e.getValue();
            ImatrixEntry b = ours.entries().get(e.getKey());
            if (countTolerance == 0) {
                assertArrayEquals(a.counts(), b.counts(), e.getKey() + " counts");
            } else {
                long total = 0;
                long moved = 0;
                for (int i = 0; i < a.counts().length; i++) {
                    total += a.counts()[i];
                    moved += Math.abs(a.counts()[i] - b.counts()[i]);
                }
                assertTrue(moved <= countTolerance * total, e.getKey() + ": " + moved + " of " + total + " routed");
            }
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < a.sums().length; i++) {
                double d = (double) a.sums()[i] - b.sums()[i];
                diff += d * d;
                norm += (double) a.sums()[i] * a.sums()[i];
            }
            double rel = Math.sqrt(diff / norm);
            assertTrue(rel <= sumTolerance, e.getKey() + " in_sum2 relative L2 " + rel);
        }
        assertTrue(r.perplexity().isPresent());
    }

    /** The imatrix run's own perplexity over its 10 chunks, as llama-imatrix prints it. */
    @Test
    void imatrixPerplexityMatchesLlamaImatrixLog(@TempDir Path dir) throws IOException {
        Matcher log = IMATRIX_PPL.matcher(Files.readString(
                SharedData.require("reference/eval/imatrix/stories260K.imatrix.gguf.log")));
        assertTrue(log.find(), "no [10] estimate in the log");
        double ref = Double.parseDouble(log.group(1));
        Path text = SharedData.require("text/tinystories_sample.txt");
        try (EvaluationModel m = open("models/stories260K.gguf")) {
            int[] tokens = m.tokenizer().encode(EvalText.read(text), true, false);
            ImatrixJob.Result r = ImatrixJob.builder(REGISTRY).output(dir.resolve("i.gguf")).chunkSize(128)
                    .maxChunks(10).collect(tokens, m, m.chunkBos(), "t").build().run();
            assertEquals(ref, r.perplexity().orElseThrow().perplexity(), 1e-3 * ref);
        }
    }

    /**
     * KLD of Q8_0 against F16 on the first 12 chunks of -c 256, both run with llama.cpp's emulation (F16 K/V, F16
     * and Q8_0-converted activations): the base file round trip, no divergence of the base against itself, and a
     * Q8_0 mean KLD of the size llama.cpp measures over the whole text (1.08e-4; the full 273-chunk run, measured by
     * hand, gives 1.08e-4 too, see docs/evaluation.md). Without the emulation Q8_0's KLD is about 4 times smaller.
     */
    @Test
    void kldOfQ8AgainstF16MatchesLlamaCppsScale(@TempDir Path dir) throws IOException {
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        Path base = dir.resolve("base.kld");
        RunOptions emulation = RunOptions.llamaCppEmulation().withThreads(2);
        try (EvaluationModel f16 = EvaluationModel.open(
                SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf"), REGISTRY, emulation)) {
            int[] tokens = f16.tokenizer().encode(EvalText.read(text), true, false);
            new PerplexityRun(ChunkPlan.of(tokens.length, 256, 12), f16.chunkBos(), ChunkListener.NONE)
                    .run(tokens, f16, base);
            try (KldBaseReader reader = KldBaseReader.open(base)) {
                KldStatistics self = new KldRun(f16.chunkBos(), ChunkListener.NONE).run(reader, f16);
                assertEquals(12 * 127, self.tokens());
                assertTrue(Math.abs(self.kld().value()) < 1e-6, "self KLD " + self.kld().value());
                assertTrue(self.sameTop().value() > 0.999, "same top " + self.sameTop().value());
            }
        }
        try (EvaluationModel q8 = EvaluationModel.open(
                SharedData.require("reference/trained/tiny-shakespeare-256-Q8_0.gguf"), REGISTRY, emulation);
             KldBaseReader reader = KldBaseReader.open(base)) {
            KldStatistics s = new KldRun(q8.chunkBos(), ChunkListener.NONE).run(reader, q8);
            assertTrue(s.kld().value() > 0.6e-4 && s.kld().value() < 1.6e-4, "Q8_0 mean KLD " + s.kld().value());
        }
    }
}
