package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.transform.ChannelStatsObserver;
import dev.quant4j.eval.transform.TransformWriter;
import dev.quant4j.eval.transform.TransformedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Shared by the exactness tests: the transformed F32 model computes the same logits as the original
 * (max |Δ| ≤ 1e-4 · max |logit|) while named weights really changed.
 */
final class ExactnessCheck {
    static final QuantRegistry REGISTRY = QuantRegistry.load(ExactnessCheck.class.getClassLoader());

    private ExactnessCheck() {
    }

    interface Stats {
        Map<String, ChannelStats> collect(ModelRunner runner) throws Exception;
    }

    static Path shared(String relative) {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve(relative);
        assumeTrue(Files.isRegularFile(p), relative + " is absent (set -Dquant4j.shared): exactness test skipped");
        return p;
    }

    static Stats randomIds(boolean secondMoments) {
        return runner -> {
            ChannelStatsObserver obs = new ChannelStatsObserver(secondMoments);
            int[] ids = new Random(7).ints(24, 0, runner.vocabSize()).toArray();
            runner.newSession(obs).append(ids);
            return obs.stats();
        };
    }

    /**
     * Every block weight read by a linear (2-D, and the 3-D experts) and the output head quantized with
     * {@code quantizer}, weighted; the MoE router stays float, as llama.cpp keeps it.
     */
    static Map<String, QuantTarget> targets(ModelReader r, String quantizer) {
        QuantizerProvider<?> p = REGISTRY.quantizer(quantizer);
        QuantTarget t = new QuantTarget(create(p), true);
        Map<String, QuantTarget> m = new HashMap<>();
        for (TensorInfo i : r.tensors()) {
            if (i.shape().rank() >= 2 && (i.name().startsWith("blk.") || i.name().equals("output.weight"))
                    && !i.name().contains("ffn_gate_inp")) {
                m.put(i.name(), t);
            }
        }
        return m;
    }

    private static <O extends Record> dev.quant4j.api.spi.Quantizer create(QuantizerProvider<O> p) {
        return p.create(p.defaultOptions());
    }

    /**
     * Transforms {@code model} (with {@code quantizer} as every weight's target when not null), writes it, and
     * compares logits; {@code changed} must really differ from the input.
     */
    static void check(Path model, Stats stats, String arch, Transform transform, String quantizer, Path out,
                      List<String> changed) throws Exception {
        FormatProvider gguf = REGISTRY.format("gguf");
        RunOptions opts = RunOptions.defaults().withThreads(1).withMaxContext(256);
        int[] prompt;
        float[] before;
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, opts)) {
            assertEquals(arch, runner.metadata().getString("general.architecture").orElseThrow());
            Map<String, ChannelStats> st = stats.collect(runner);
            prompt = new Random(11).ints(20, 1, runner.vocabSize()).toArray();
            before = runner.logits(prompt);
            try (ModelReader r = gguf.open(model)) {
                TransformedModel t = TransformedModel.of(r, st);
                if (quantizer != null) {
                    t = t.withTargets(targets(r, quantizer));
                }
                t = t.then(transform);
                for (String name : changed) {
                    assertTrue(t.isReplaced(name), name + " not replaced");
                    assertChanged(r, t, name);
                }
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
            assertTrue(maxDiff <= 1e-4 * maxAbs, model.getFileName() + ": max |Δlogit| " + maxDiff
                    + " vs max |logit| " + maxAbs);
        }
    }

    /** Writes {@code source} without its {@code output.weight}, so the head is read from {@code token_embd}. */
    static Path tiedCopy(Path source, Path tied) throws Exception {
        FormatProvider gguf = REGISTRY.format("gguf");
        try (ModelReader r = gguf.open(source)) {
            List<TensorInfo> kept = r.tensors().stream().filter(t -> !t.name().equals("output.weight")).toList();
            ModelLayout layout = new ModelLayout(r.metadata(), kept.stream()
                    .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList());
            try (ModelWriter w = gguf.create(tied, layout, WriteOptions.SINGLE_FILE)) {
                for (int i = 0; i < kept.size(); i++) {
                    w.write(i, 0, r.view(kept.get(i)).data());
                }
                w.commit();
            }
        }
        return tied;
    }

    /** Guards against a vacuous pass: the scales moved the weights by more than rounding. */
    static void assertChanged(ModelReader r, TransformedModel t, String name) throws Exception {
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
