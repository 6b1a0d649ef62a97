package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.transform.TransformWriter;
import dev.quant4j.eval.transform.TransformedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * smoothquant, awq and smoothquant's search on the mixture-of-experts models (Mixtral-style llama and qwen3moe):
 * the router, every expert's gate/up (one group, into ffn_norm) and each expert's down (into its up rows) are
 * scaled, and the F32 logits stay within 1e-4 relative; per-expert statistics follow the scales exactly.
 */
class MoeExactnessTest {
    private static final List<String> MOE_CHANGED = List.of("blk.0.ffn_norm.weight", "blk.0.ffn_gate_inp.weight",
            "blk.0.ffn_gate_exps.weight", "blk.0.ffn_up_exps.weight", "blk.0.ffn_down_exps.weight",
            "blk.1.ffn_down_exps.weight", "blk.0.attn_norm.weight");

    @TempDir
    Path tmp;

    private static Path model(String arch) {
        return ExactnessCheck.shared("reference/eval/models/" + (arch.equals("llama") ? "synth-moe" : "synth-" + arch)
                + ".gguf");
    }

    private static Transform smoothquant(Map<String, String> options) {
        SmoothQuantProvider p = new SmoothQuantProvider();
        return p.create(p.parseOptions(options));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3moe"})
    void smoothquant(String arch) throws Exception {
        ExactnessCheck.check(model(arch), ExactnessCheck.randomIds(false), arch, smoothquant(Map.of()), null,
                tmp.resolve("sq.gguf"), MOE_CHANGED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3moe"})
    void awq(String arch) throws Exception {
        ExactnessCheck.check(model(arch), ExactnessCheck.randomIds(true), arch,
                AwqExactnessTest.awq(Map.of("grid", "8")), "q2_k", tmp.resolve("awq.gguf"),
                List.of("blk.0.ffn_norm.weight", "blk.0.ffn_gate_inp.weight", "blk.0.ffn_gate_exps.weight",
                        "blk.0.ffn_down_exps.weight"));
    }

    /**
     * output=true on a MoE model: smoothquant scales the head exactly; awq searches it with the rest (its α may be
     * 0, so the head is checked by clipping: clipped with output=true, untouched without).
     */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3moe"})
    void outputHead(String arch) throws Exception {
        ExactnessCheck.check(model(arch), ExactnessCheck.randomIds(false), arch,
                smoothquant(Map.of("output", "true")), null, tmp.resolve("sqh.gguf"),
                List.of("output.weight", "output_norm.weight", "blk.0.ffn_gate_exps.weight"));
        withStats(arch, true, (r, st) -> {
            TransformedModel base = TransformedModel.of(r, st).withTargets(ExactnessCheck.targets(r, "q2_k"));
            TransformedModel with = base.then(AwqExactnessTest.awq(Map.of("grid", "4", "clip", "true",
                    "output", "true")));
            TransformedModel without = base.then(AwqExactnessTest.awq(Map.of("grid", "4", "clip", "true")));
            assertTrue(with.isReplaced("output.weight"), "awq output=true did not search the head");
            assertFalse(without.isReplaced("output.weight"), "awq touched the head without output=true");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3moe"})
    void smoothquantSearch(String arch) throws Exception {
        ExactnessCheck.check(model(arch), ExactnessCheck.randomIds(true), arch, smoothquant(Map.of("search", "4")),
                "q2_k", tmp.resolve("sqs.gguf"), List.of("blk.0.ffn_norm.weight", "blk.0.ffn_gate_exps.weight"));
    }

    /**
     * Each expert's statistics (tokens routed to it) rescaled by the transform's factors equal those collected
     * again on the transformed model, and the experts' ffn_down factors differ per expert.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3moe"})
    void perExpertStatisticsFollowTheScales(String arch) throws Exception {
        FormatProvider gguf = ExactnessCheck.REGISTRY.format("gguf");
        RunOptions opts = RunOptions.defaults().withThreads(1).withMaxContext(64);
        Path out = tmp.resolve("rescale.gguf");
        Map<String, ChannelStats> rescaled;
        try (ModelRunner runner = ModelRunner.open(model(arch), ExactnessCheck.REGISTRY, opts);
             ModelReader r = gguf.open(model(arch))) {
            TransformedModel t = TransformedModel.of(r, ExactnessCheck.randomIds(false).collect(runner))
                    .then(smoothquant(Map.of()));
            float[] c = t.inputScale("blk.0.ffn_down_exps.weight").orElseThrow();
            assertEquals(256 * 4, c.length, "one factor per column of each expert");
            assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(c, 0, 256),
                    java.util.Arrays.copyOfRange(c, 256, 512)), "experts 0 and 1 share their ffn_down factors");
            rescaled = t.stats();
            TransformWriter.write(t, gguf, out);
        }
        Map<String, ChannelStats> again;
        try (ModelRunner runner = ModelRunner.open(out, ExactnessCheck.REGISTRY, opts)) {
            again = ExactnessCheck.randomIds(false).collect(runner);
        }
        int compared = 0;
        for (int e = 0; e < 4; e++) {
            for (String w : new String[] {"blk.0.ffn_down_exps.weight", "blk.3.ffn_down_exps.weight",
                    "blk.1.ffn_gate_exps.weight", "blk.2.ffn_up_exps.weight"}) {
                String key = ChannelStats.expertKey(w, e);
                if (!again.containsKey(key)) {
                    assertFalse(rescaled.containsKey(key), key + " routed before but not after");
                    continue;
                }
                assertEquals(again.get(key).count(), rescaled.get(key).count(), key + " routed tokens");
                float[] a = rescaled.get(key).meanSquares();
                float[] b = again.get(key).meanSquares();
                float[] ma = rescaled.get(key).absMax();
                float[] mb = again.get(key).absMax();
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-3 * Math.max(a[j], 1e-6), key + " column " + j);
                    assertEquals(ma[j], mb[j], 1e-3 * Math.max(ma[j], 1e-6), key + " max, column " + j);
                    compared++;
                }
            }
        }
        assertTrue(compared >= 4 * 256, "compared " + compared);
    }

    /**
     * awq:clip=true bounds every routed expert of gate, up and down: against the same search without clipping,
     * each expert's slice has values that shrank and none that grew; the router (no target) is not clipped.
     */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3moe"})
    void clippingReachesEveryExpert(String arch) throws Exception {
        withStats(arch, true, (r, st) -> {
            TransformedModel base = TransformedModel.of(r, st).withTargets(ExactnessCheck.targets(r, "q2_k"));
            TransformedModel plain = base.then(AwqExactnessTest.awq(Map.of("grid", "4")));
            TransformedModel clipped = base.then(AwqExactnessTest.awq(Map.of("grid", "4", "clip", "true")));
            for (String w : List.of("blk.0.ffn_gate_exps.weight", "blk.0.ffn_up_exps.weight",
                    "blk.0.ffn_down_exps.weight", "blk.2.ffn_down_exps.weight")) {
                TensorView a = plain.view(w);
                TensorView b = clipped.view(w);
                long per = a.rows() / 4;
                for (int e = 0; e < 4; e++) {
                    if (st.containsKey(ChannelStats.expertKey(w, e))) {
                        assertTrue(shrunk(a, b, e * per, per) > 0, w + " expert " + e + " never clipped");
                    }
                }
            }
            String router = "blk.0.ffn_gate_inp.weight";
            assertEquals(0, shrunk(plain.view(router), clipped.view(router), 0, 4), "router clipped");
        });
    }

    /** Statistics without the per-expert entries (an observer that skips experts) are refused, not ignored. */
    @ParameterizedTest
    @ValueSource(strings = {"llama"})
    void statisticsWithoutExpertsAreRefused(String arch) throws Exception {
        withStats(arch, false, (r, all) -> {
            Map<String, ChannelStats> dense = new java.util.HashMap<>(all);
            dense.keySet().removeIf(k -> k.contains("#"));
            dev.quant4j.api.error.QuantException e = assertThrows(dev.quant4j.api.error.QuantException.class,
                    () -> TransformedModel.of(r, dense).then(smoothquant(Map.of())));
            assertTrue(e.getMessage().contains("per-expert") && e.getMessage().contains("ffn_down_exps"),
                    e.getMessage());
        });
    }

    private interface WithStats {
        void run(ModelReader r, Map<String, ChannelStats> stats) throws Exception;
    }

    /** Opens the model of {@code arch} and collects its statistics on random ids (1 thread). */
    private static void withStats(String arch, boolean moments, WithStats body) throws Exception {
        try (ModelRunner runner = ModelRunner.open(model(arch), ExactnessCheck.REGISTRY,
                RunOptions.defaults().withThreads(1));
             ModelReader r = ExactnessCheck.REGISTRY.format("gguf").open(model(arch))) {
            body.run(r, ExactnessCheck.randomIds(moments).collect(runner));
        }
    }

    /** Values in rows [first, first + count) that {@code b} holds smaller in magnitude than {@code a}. */
    private static int shrunk(TensorView a, TensorView b, long first, long count) {
        float[] x = new float[(int) a.rowLength()];
        float[] y = new float[(int) a.rowLength()];
        int n = 0;
        for (long row = first; row < first + count; row++) {
            a.readRow(row, x, 0);
            b.readRow(row, y, 0);
            for (int i = 0; i < x.length; i++) {
                assertTrue(Math.abs(y[i]) <= Math.abs(x[i]), "clipping grew row " + row + " column " + i);
                n += Math.abs(y[i]) < Math.abs(x[i]) ? 1 : 0;
            }
        }
        return n;
    }
}
