package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.transform.Calibration;
import dev.quant4j.eval.transform.TransformWriter;
import dev.quant4j.eval.transform.TransformedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformed F32 model computes the same logits as the original (max |Δ| ≤ 1e-4 · max |logit|), while its
 * weights really changed. Runs both through quant-eval's forward pass.
 */
class SmoothQuantExactnessTest {
    private static final QuantRegistry REGISTRY = ExactnessCheck.REGISTRY;

    @TempDir
    Path tmp;

    static Path shared(String relative) {
        return ExactnessCheck.shared(relative);
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
        check(shared("reference/eval/models/synth-qwen2.gguf"), ExactnessCheck.randomIds(false), "qwen2", 0.5);
    }

    @Test
    void qwen3QkNorms() throws Exception {
        check(shared("reference/eval/models/synth-qwen3.gguf"), ExactnessCheck.randomIds(false), "qwen3", 0.5);
    }

    /** output=true scales the head (1/s into output_norm) exactly. */
    @Test
    void outputHead() throws Exception {
        ExactnessCheck.check(shared("models/stories260K.gguf"), ExactnessCheck.randomIds(false), "llama",
                transform(Map.of("output", "true")), null, tmp.resolve("head.gguf"),
                List.of("output.weight", "output_norm.weight", "blk.0.ffn_norm.weight"));
    }

    /** A tied head is untied (an F32 output.weight added, token_embd left alone) and the model stays exact. */
    @Test
    void tiedOutputHeadIsUntied() throws Exception {
        Path tied = ExactnessCheck.tiedCopy(shared("models/stories260K.gguf"), tmp.resolve("tied.gguf"));
        Path out = tmp.resolve("untied.gguf");
        ExactnessCheck.check(tied, ExactnessCheck.randomIds(false), "llama", transform(Map.of("output", "true")), null,
                out, List.of("output_norm.weight", "blk.0.ffn_norm.weight"));
        FormatProvider gguf = REGISTRY.format("gguf");
        try (ModelReader a = gguf.open(tied); ModelReader b = gguf.open(out)) {
            assertTrue(b.tensors().stream().anyMatch(t -> t.name().equals("output.weight")), "output.weight added");
            var embA = a.tensors().stream().filter(t -> t.name().equals("token_embd.weight")).findFirst().orElseThrow();
            var embB = b.tensors().stream().filter(t -> t.name().equals("token_embd.weight")).findFirst().orElseThrow();
            assertEquals(embA.type(), embB.type(), "token_embd rewritten");
            assertEquals(-1L, a.view(embA).data().mismatch(b.view(embB).data()), "token_embd changed");
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
            TransformedModel t = TransformedModel.of(r, ExactnessCheck.randomIds(false).collect(runner)).then(transform(0.5));
            rescaled = t.stats();
            TransformWriter.write(t, gguf, out);
        }
        Map<String, ChannelStats> again;
        try (ModelRunner runner = ModelRunner.open(out, REGISTRY, opts)) {
            again = ExactnessCheck.randomIds(false).collect(runner);
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

    private static Transform transform(double alpha) {
        return transform(Map.of("alpha", Double.toString(alpha)));
    }

    private static Transform transform(Map<String, String> options) {
        SmoothQuantProvider p = new SmoothQuantProvider();
        return p.create(p.parseOptions(options));
    }

    private void check(Path model, ExactnessCheck.Stats stats, String arch, double alpha) throws Exception {
        ExactnessCheck.check(model, stats, arch, transform(alpha), null, tmp.resolve("smooth-" + alpha + ".gguf"),
                List.of("blk.0.attn_norm.weight", "blk.0.ffn_up.weight", "blk.0.attn_v.weight",
                        "blk.0.ffn_down.weight", "blk.0.attn_output.weight"));
    }
}
