package dev.quant4j.eval.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.model.CalibrationPasses;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.model.TinyLlamaShapes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transform statistics collected in several passes within a memory budget and read back from the statistics file
 * equal the one-pass statistics held in memory, bit for bit; the plan keeps every pass within the budget; a chain of
 * transforms reads them rescaled (SM'_ij = SM_ij c_i c_j) when asked.
 */
class StreamedCalibrationTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(StreamedCalibrationTest.class.getClassLoader());

    @TempDir
    Path dir;

    private static Path shared(String relative) {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve(relative);
        assumeTrue(Files.isRegularFile(p), p + " is absent (set -Dquant4j.shared): test skipped");
        return p;
    }

    @Test
    void streamedStatisticsEqualTheOnePassOnes() throws Exception {
        Path model = shared("reference/trained/tiny-shakespeare-256-f16.gguf");
        String text = Files.readString(shared("reference/trained/tiny-shakespeare-256-train.txt"), StandardCharsets.UTF_8);
        Path file = dir.resolve("stats.q4jcal");
        long budget = 6L << 20; // ffn_down's 768² × 8 (4.5 MiB) fits, a layer's inputs (3 × 0.5 + 4.5 MiB) do not
        Map<String, ChannelStats> one;
        List<CalibrationPasses.Pass> passes;
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, RunOptions.defaults().withThreads(2).withMaxContext(128))) {
            one = Calibration.collect(runner, text, 128, 2, true);
            passes = Calibration.toFile(runner, text, 128, 2, true, budget, file);
        }
        assertTrue(passes.size() >= 6, passes.size() + " passes");
        for (CalibrationPasses.Pass p : passes) {
            assertTrue(p.bytes() <= budget, p.toString());
        }
        try (ChannelStatsFile f = ChannelStatsFile.open(file)) {
            assertEquals(one.keySet(), f.weights());
            assertEquals(128, f.header().context());
            assertEquals(2, f.header().chunks());
            for (String w : one.keySet()) {
                ChannelStats a = one.get(w);
                ChannelStats b = f.get(w).orElseThrow();
                assertEquals(a.tensor(), b.tensor(), w);
                assertEquals(256, b.count(), w);
                assertEquals(a.count(), b.count(), w);
                assertArrayEquals(a.absMax(), b.absMax(), w);
                assertArrayEquals(a.meanSquares(), b.meanSquares(), w);
                assertArrayEquals(a.secondMoments(), b.secondMoments(), w);
            }
            assertEquals("blk.3.attn_q.weight", f.get("blk.3.attn_v.weight").orElseThrow().tensor(), "one entry per input");
        }
        // a budget below one input's second moments is refused, naming it and the option
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, RunOptions.defaults().withThreads(1))) {
            var e = assertThrows(QuantException.class, () -> Calibration.passes(runner.tensors(), true, 4L << 20));
            assertTrue(e.getMessage().contains("ffn_down.weight") && e.getMessage().contains("--calibration-memory"),
                    e.getMessage());
        }
    }

    /**
     * A mixture-of-experts model: each expert's inputs (gate/up shared, down alone) are units of their own, and the
     * streamed per-expert statistics (tokens routed to that expert) equal the one-pass ones, read back by expert key.
     */
    @Test
    void streamedExpertStatisticsEqualTheOnePassOnes() throws Exception {
        Path model = shared("reference/eval/models/synth-qwen3moe.gguf");
        String text = Files.readString(shared("reference/trained/tiny-shakespeare-256-heldout.txt"), StandardCharsets.UTF_8);
        Path file = dir.resolve("moe.q4jcal");
        long budget = 1200L << 10; // two 256-wide inputs' second moments (2 × 512 KiB) per pass
        Map<String, ChannelStats> one;
        List<CalibrationPasses.Pass> passes;
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, RunOptions.defaults().withThreads(2).withMaxContext(64))) {
            one = Calibration.collect(runner, text, 64, 2, true);
            passes = Calibration.toFile(runner, text, 64, 2, true, budget, file);
        }
        String gate = ChannelStats.expertKey("blk.2.ffn_gate_exps.weight", 3);
        String up = ChannelStats.expertKey("blk.2.ffn_up_exps.weight", 3);
        String down = ChannelStats.expertKey("blk.2.ffn_down_exps.weight", 3);
        assertTrue(one.containsKey(down), "per-expert statistics collected: " + one.keySet());
        assertTrue(passes.stream().anyMatch(p -> p.weights().containsAll(Set.of(gate, up))), "an expert's gate and up together");
        for (CalibrationPasses.Pass p : passes) {
            assertTrue(p.bytes() <= budget, p.toString());
        }
        try (ChannelStatsFile f = ChannelStatsFile.open(file)) {
            assertEquals(one.keySet(), f.weights());
            for (String w : one.keySet()) {
                ChannelStats a = one.get(w);
                ChannelStats b = f.get(w).orElseThrow();
                assertEquals(a.count(), b.count(), w);
                assertArrayEquals(a.absMax(), b.absMax(), w);
                assertArrayEquals(a.meanSquares(), b.meanSquares(), w);
                assertArrayEquals(a.secondMoments(), b.secondMoments(), w);
            }
            assertTrue(f.get(down).orElseThrow().count() < 128, "only the tokens routed to expert 3");
        }
    }

    @Test
    void passesOfATinyLlamaShapedModelStayWithinTheBudgetAndKeepSharedInputsTogether() {
        List<TensorInfo> t = TinyLlamaShapes.tensors(8); // TinyLlama-1.1B shapes, 8 layers
        long budget = 300L << 20;
        List<CalibrationPasses.Pass> passes = Calibration.passes(t, true, budget);
        long small = 2048L * 12 + 2048L * 2048 * 8;
        long down = 5632L * 12 + 5632L * 5632 * 8;
        long sum = 0;
        List<String> covered = new ArrayList<>();
        for (CalibrationPasses.Pass p : passes) {
            assertTrue(p.bytes() <= budget, p.toString());
            sum += p.bytes();
            covered.addAll(p.weights());
            for (int l = 0; l < 8; l++) { // readers of one input are collected in one pass
                String b = "blk." + l + ".";
                assertTrue(p.weights().containsAll(Set.of(b + "attn_q.weight", b + "attn_k.weight", b + "attn_v.weight"))
                        || !p.weights().contains(b + "attn_k.weight"), p.toString());
                assertEquals(p.weights().contains(b + "ffn_gate.weight"), p.weights().contains(b + "ffn_up.weight"));
            }
        }
        // per layer three inputs of 2048 (q/k/v, attn_output, gate/up) and one of 5632; embedding and output
        assertEquals(8 * (3 * small + down) + 2 * small, sum);
        assertEquals(8 * 7 + 2, covered.size());
        assertEquals(covered.size(), Set.copyOf(covered).size(), "every weight once");
        assertTrue(passes.size() >= (sum + budget - 1) / budget && passes.size() <= 2 * sum / budget + 1,
                passes.size() + " passes");
        // without second moments everything fits one pass
        assertEquals(1, Calibration.passes(t, false, budget).size());
    }

    /** A chain reads statistics rescaled by the previous transform's input scale, from memory and from the file. */
    @Test
    void chainedTransformsSeeLazilyRescaledStatistics() throws Exception {
        Path model = shared("models/stories260K.gguf");
        String text = Files.readString(shared("reference/trained/tiny-shakespeare-256-heldout.txt"), StandardCharsets.UTF_8);
        Path file = dir.resolve("s.q4jcal");
        Map<String, ChannelStats> one;
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, RunOptions.defaults().withThreads(1).withMaxContext(32))) {
            one = Calibration.collect(runner, text, 32, 2, true);
            Calibration.toFile(runner, text, 32, 2, true, 240_000, file); // ffn_down's 172² × 8 fits, two do not
        }
        String w = "blk.1.ffn_down.weight";
        int n = one.get(w).columns();
        float[] c1 = new float[n];
        float[] c2 = new float[n];
        for (int j = 0; j < n; j++) {
            c1[j] = 0.5f + j / 64f;
            c2[j] = j % 3 == 0 ? -2f : 1.25f;
        }
        try (ModelReader reader = REGISTRY.formatFor(model).orElseThrow().open(model);
             ChannelStatsFile f = ChannelStatsFile.open(file)) {
            for (StatsSource source : List.of(StatsSource.of(one), f)) {
                TransformedModel m = TransformedModel.of(reader, source).then(in -> scaling(w, c1)).then(in -> scaling(w, c2));
                ChannelStats s = m.stats(w).orElseThrow();
                float[] sm = one.get(w).secondMoments();
                float[] max = one.get(w).absMax();
                for (int i = 0; i < n; i++) {
                    double wantMax = (double) max[i] * Math.abs(c1[i]) * Math.abs(c2[i]);
                    assertEquals(wantMax, s.absMax()[i], 1e-6 * wantMax);
                    for (int j = 0; j < n; j++) {
                        double want = (double) sm[i * n + j] * c1[i] * c1[j] * c2[i] * c2[j];
                        assertEquals(want, s.secondMoments()[i * n + j], 1e-5 * Math.abs(want) + 1e-12, w + " " + i + "," + j);
                    }
                }
                assertEquals(Optional.empty(), m.stats("no.such.weight"));
                assertEquals(one.get("blk.1.attn_q.weight").meanSquares()[3],
                        m.stats().get("blk.1.attn_k.weight").meanSquares()[3], "untouched weights as collected");
            }
        }
    }

    /** A transform that only reports an input scale for one weight (no tensor changes). */
    private static TransformOutput scaling(String weight, float[] c) {
        return new TransformOutput() {
            @Override
            public Set<String> replaced() {
                return Set.of();
            }

            @Override
            public TensorView tensor(String name) {
                throw new IllegalArgumentException(name);
            }

            @Override
            public Optional<float[]> inputScale(String name) {
                return name.equals(weight) ? Optional.of(c.clone()) : Optional.empty();
            }
        };
    }
}
