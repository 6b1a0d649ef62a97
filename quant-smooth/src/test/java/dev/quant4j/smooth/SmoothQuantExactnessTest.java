package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.transform.Calibration;
import dev.quant4j.eval.transform.ChannelStatsObserver;
import dev.quant4j.eval.transform.TransformWriter;
import dev.quant4j.eval.transform.TransformedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformed F32 model computes the same logits as the original (max |Δ| ≤ 1e-4 · max |logit|), while its
 * weights really changed. Runs both through quant-eval's forward pass.
 */
class SmoothQuantExactnessTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(SmoothQuantExactnessTest.class.getClassLoader());

    @TempDir
    Path tmp;

    static Path shared(String relative) {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve(relative);
        assumeTrue(Files.isRegularFile(p), relative + " is absent (set -Dquant4j.shared): exactness test skipped");
        return p;
    }

    @Test
    void stories260kWithCalibrationText() throws Exception {
        Path model = shared("models/stories260K.gguf");
        String text = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
                + "One day, she saw a big, red ball. She wanted to play with it, but it was too high.";
        check(model, runner -> Calibration.collect(runner, text, 16, 4), "llama", 0.5);
    }

    @Test
    void trainedModelAlphaExtremes() throws Exception {
        Path model = shared("reference/trained/tiny-shakespeare-256-f16.gguf");
        String text = Files.readString(shared("reference/trained/tiny-shakespeare-256-train.txt")).substring(0, 20000);
        check(model, runner -> Calibration.collect(runner, text, 128, 2), "llama", 0.5);
        check(model, runner -> Calibration.collect(runner, text, 128, 2), "llama", 0.85);
    }

    @Test
    void qwen2BiasesAndGqa() throws Exception {
        check(shared("reference/eval/models/synth-qwen2.gguf"), SmoothQuantExactnessTest::randomIds, "qwen2", 0.5);
    }

    @Test
    void qwen3QkNorms() throws Exception {
        check(shared("reference/eval/models/synth-qwen3.gguf"), SmoothQuantExactnessTest::randomIds, "qwen3", 0.5);
    }

    @Test
    void mixtureOfExpertsIsRefusedByName() throws Exception {
        Path model = shared("reference/eval/models/synth-qwen3moe.gguf");
        FormatProvider gguf = REGISTRY.format("gguf");
        try (ModelReader r = gguf.open(model)) {
            QuantException e = assertThrows(QuantException.class,
                    () -> TransformedModel.of(r, Map.of()).then(transform(0.5)));
            assertTrue(e.getMessage().contains("mixture-of-experts"), e.getMessage());
        }
    }

    /**
     * The statistics rescaled by the transform's input factors (what an imatrix gets) equal the statistics
     * collected again on the transformed model.
     */
    @Test
    void rescaledStatisticsMatchRecollectedOnes() throws Exception {
        Path model = shared("models/stories260K.gguf");
        FormatProvider gguf = REGISTRY.format("gguf");
        RunOptions opts = RunOptions.defaults().withThreads(1).withMaxContext(64);
        Path out = tmp.resolve("rescale.gguf");
        Map<String, ChannelStats> rescaled;
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, opts); ModelReader r = gguf.open(model)) {
            TransformedModel t = TransformedModel.of(r, randomIds(runner)).then(transform(0.5));
            rescaled = t.stats();
            TransformWriter.write(t, gguf, out);
        }
        Map<String, ChannelStats> again;
        try (ModelRunner runner = ModelRunner.open(out, REGISTRY, opts)) {
            again = randomIds(runner);
        }
        int compared = 0;
        for (String w : new String[] {"blk.0.attn_q.weight", "blk.0.ffn_down.weight", "blk.1.attn_output.weight",
                "blk.2.ffn_up.weight"}) {
            float[] a = rescaled.get(w).meanSquares();
            float[] b = again.get(w).meanSquares();
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-3 * Math.max(a[j], 1e-6), w + " column " + j);
                compared++;
            }
        }
        assertTrue(compared > 0);
    }

    interface Stats {
        Map<String, ChannelStats> collect(ModelRunner runner) throws Exception;
    }

    private static Map<String, ChannelStats> randomIds(ModelRunner runner) {
        ChannelStatsObserver obs = new ChannelStatsObserver();
        Random rnd = new Random(7);
        int[] ids = rnd.ints(24, 0, runner.vocabSize()).toArray();
        runner.newSession(obs).append(ids);
        return obs.stats();
    }

    private static Transform transform(double alpha) {
        SmoothQuantProvider p = new SmoothQuantProvider();
        return p.create(p.parseOptions(Map.of("alpha", Double.toString(alpha))));
    }

    private void check(Path model, Stats stats, String arch, double alpha) throws Exception {
        FormatProvider gguf = REGISTRY.format("gguf");
        RunOptions opts = RunOptions.defaults().withThreads(1).withMaxContext(256);
        Path out = tmp.resolve("smooth-" + alpha + ".gguf");
        int[] prompt;
        float[] before;
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, opts)) {
            assertEquals(arch, runner.metadata().getString("general.architecture").orElseThrow());
            Map<String, ChannelStats> st = stats.collect(runner);
            prompt = new Random(11).ints(20, 1, runner.vocabSize()).toArray();
            before = runner.logits(prompt);
            try (ModelReader r = gguf.open(model)) {
                TransformedModel t = TransformedModel.of(r, st).then(transform(alpha));
                assertTrue(t.isReplaced("blk.0.attn_norm.weight") && t.isReplaced("blk.0.ffn_up.weight")
                        && t.isReplaced("blk.0.attn_v.weight") && t.isReplaced("blk.0.attn_output.weight"));
                assertChanged(r, t, "blk.0.ffn_down.weight");
                assertChanged(r, t, "blk.0.attn_output.weight");
                TransformWriter.write(t, gguf, out);
            }
        }
        try (ModelRunner runner = ModelRunner.open(out, REGISTRY, opts)) {
            float[] after = runner.logits(prompt);
            double maxAbs = 0;
            double maxDiff = 0;
            for (int i = 0; i < before.length; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(before[i]));
                maxDiff = Math.max(maxDiff, Math.abs(before[i] - after[i]));
            }
            assertTrue(maxDiff <= 1e-4 * maxAbs, model.getFileName() + " alpha " + alpha + ": max |Δlogit| "
                    + maxDiff + " vs max |logit| " + maxAbs);
        }
    }

    /** Guards against a vacuous pass: the scales moved the weights by more than rounding. */
    private static void assertChanged(ModelReader r, TransformedModel t, String name) throws Exception {
        TensorView a = r.view(r.tensors().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow());
        TensorView b = t.view(name);
        float[] x = new float[(int) a.rowLength()];
        float[] y = new float[(int) a.rowLength()];
        double maxRel = 0;
        for (long row = 0; row < Math.min(4, a.rows()); row++) {
            a.readRow(row, x, 0);
            b.readRow(row, y, 0);
            for (int i = 0; i < x.length; i++) {
                if (x[i] != 0) {
                    maxRel = Math.max(maxRel, Math.abs(y[i] / x[i] - 1));
                }
            }
        }
        assertFalse(maxRel < 1e-2, name + " barely changed (max relative change " + maxRel + ")");
    }
}
