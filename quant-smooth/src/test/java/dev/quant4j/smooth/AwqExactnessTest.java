package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.transform.Calibration;
import dev.quant4j.eval.transform.TransformedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWQ scales searched against q2_k for every linear leave the float model's function unchanged (logits within
 * 1e-4 relative, F32), per architecture; the clipping option does change it (by design) and MoE is refused.
 */
class AwqExactnessTest {
    private static final List<String> CHANGED = List.of("blk.0.attn_norm.weight", "blk.0.attn_q.weight",
            "blk.0.ffn_norm.weight", "blk.0.ffn_gate.weight");

    @TempDir
    Path tmp;

    static Transform awq(Map<String, String> options) {
        AwqProvider p = new AwqProvider();
        return p.create(p.parseOptions(options));
    }

    @Test
    void trainedLlama() throws Exception {
        Path model = ExactnessCheck.shared("reference/trained/tiny-shakespeare-256-f16.gguf");
        String text = Files.readString(ExactnessCheck.shared("reference/trained/tiny-shakespeare-256-train.txt"))
                .substring(0, 20000);
        ExactnessCheck.check(model, runner -> Calibration.collect(runner, text, 128, 2, true), "llama",
                awq(Map.of()), "q2_k", tmp.resolve("awq.gguf"), CHANGED);
    }

    @Test
    void qwen2BiasesAndGqa() throws Exception {
        ExactnessCheck.check(ExactnessCheck.shared("reference/eval/models/synth-qwen2.gguf"),
                ExactnessCheck.randomIds(true), "qwen2", awq(Map.of("grid", "8")), "q2_k", tmp.resolve("awq2.gguf"),
                CHANGED);
    }

    /** smoothquant's per-group α search uses the same machinery; its float result is exact too. */
    @Test
    void smoothquantSearchQwen2() throws Exception {
        SmoothQuantProvider p = new SmoothQuantProvider();
        ExactnessCheck.check(ExactnessCheck.shared("reference/eval/models/synth-qwen2.gguf"),
                ExactnessCheck.randomIds(true), "qwen2", p.create(p.parseOptions(Map.of("search", "4"))), "q2_k",
                tmp.resolve("sqs.gguf"), List.of("blk.0.ffn_norm.weight", "blk.0.ffn_gate.weight"));
    }

    @Test
    void qwen3QkNorms() throws Exception {
        ExactnessCheck.check(ExactnessCheck.shared("reference/eval/models/synth-qwen3.gguf"),
                ExactnessCheck.randomIds(true), "qwen3", awq(Map.of("grid", "8")), "q2_k", tmp.resolve("awq3.gguf"), CHANGED);
    }

    /**
     * clip=true bounds every non-q/k weight per (row, 32 columns) — also weights whose group kept s = 1 — and is
     * the one option that changes the float model.
     */
    @Test
    void clippingBoundsEveryClippedWeight() throws Exception {
        Path model = ExactnessCheck.shared("reference/eval/models/synth-qwen2.gguf");
        try (var runner = dev.quant4j.eval.model.ModelRunner.open(model, ExactnessCheck.REGISTRY,
                dev.quant4j.eval.model.RunOptions.defaults().withThreads(1));
             ModelReader r = ExactnessCheck.REGISTRY.format("gguf").open(model)) {
            Map<String, ChannelStats> st = ExactnessCheck.randomIds(true).collect(runner);
            TransformedModel t = TransformedModel.of(r, st).withTargets(ExactnessCheck.targets(r, "q2_k"))
                    .then(awq(Map.of("grid", "2", "clip", "true")));
            for (String w : List.of("blk.0.attn_v.weight", "blk.0.attn_output.weight", "blk.0.ffn_gate.weight",
                    "blk.0.ffn_up.weight", "blk.0.ffn_down.weight", "blk.1.ffn_down.weight")) {
                assertTrue(t.isReplaced(w), w + " clipped");
            }
        }
    }

    @Test
    void withoutTargetQuantizersItSaysWhatToDo() throws Exception {
        Path model = ExactnessCheck.shared("reference/eval/models/synth-qwen2.gguf");
        try (var runner = dev.quant4j.eval.model.ModelRunner.open(model, ExactnessCheck.REGISTRY,
                dev.quant4j.eval.model.RunOptions.defaults().withThreads(1));
             ModelReader r = ExactnessCheck.REGISTRY.format("gguf").open(model)) {
            Map<String, ChannelStats> st = ExactnessCheck.randomIds(true).collect(runner);
            QuantException e = assertThrows(QuantException.class, () -> TransformedModel.of(r, st).then(awq(Map.of())));
            assertTrue(e.getMessage().contains("--target"), e.getMessage());
        }
    }

    /** α = 0 is a candidate, so the searched error on the calibration data never exceeds the unscaled one. */
    @Test
    void scalesAreNormalisedAndAlphaZeroIsIdentity() {
        float[] sx = {0.5f, 2f, 8f, 0f};
        float[] one = Awq.scales(sx, 0);
        for (float v : one) {
            assertEquals(1f, v, 0f);
        }
        float[] s = Awq.scales(sx, 1);
        // s_x^1 = {0.5, 2, 8} (the silent channel keeps 1), divided by √(8 · 0.5) = 2
        assertEquals(0.25f, s[0], 1e-6f);
        assertEquals(1f, s[1], 1e-6f);
        assertEquals(4f, s[2], 1e-6f);
        assertEquals(0.5f, s[3], 1e-6f);
    }

    @Test
    void quadraticFormMatchesHandComputed() {
        // M = [[2, 1], [1, 3]], d = (1, -2): dᵀ M d = 2 - 2 - 2 + 12 = 10
        assertEquals(10.0, OutputError.quadraticForm(new float[] {1, -2}, 0, 2, new float[] {2, 1, 1, 3}, 2), 1e-12);
        // the block [1, 2) alone: 3 · 4 = 12
        assertEquals(12.0, OutputError.quadraticForm(new float[] {1, -2}, 1, 2, new float[] {2, 1, 1, 3}, 2), 1e-12);
    }
}
