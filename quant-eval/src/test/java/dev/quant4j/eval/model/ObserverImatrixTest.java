package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The activation observer carries exactly what llama-imatrix collects: per weight (and per expert) the sum of
 * squared inputs and the token count. Replays llama-imatrix's run (10 chunks of 128 tokens of
 * tinystories_sample.txt, each chunk from position 0 with its first token replaced by BOS) through the
 * {@link Calibrator} adapter and compares with reference/eval/imatrix/M.imatrix.gguf: identical counts, every
 * in_sum2 vector within 1e-3 relative L2 (the issue's tolerance). One exception, for routing near-ties: a token
 * whose k-th and (k+1)-th router probabilities differ by less than about 1e-3 (synth-qwen3moe has several, gaps
 * 3e-5 to 8e-4, one in layer 0) may go to another expert than in llama.cpp, whose activations carry F16
 * rounding; that token's hidden state then differs in every later layer, where a few more routings flip. For
 * synth-qwen3moe, up to 0.5% of the 2560 routed (token, slot) pairs per weight may differ (5 do at most) and the
 * sums are held to 3e-2 instead of 1e-3 (measured: 2e-3 to 6e-3 in layer 0, growing to 2.3e-2 in layer 3);
 * the dense and synth-moe references are matched exactly.
 */
class ObserverImatrixTest {
    private static final QuantRegistry REGISTRY = LlamaLogitsTest.REGISTRY;

    /** Σx² and counts per "tensor#expert", as a Calibrator that overrides the expert-aware observe. */
    static final class SumSquares implements Calibrator {
        final Map<String, double[]> sums = new HashMap<>();
        final Map<String, Long> counts = new HashMap<>();

        @Override
        public void observe(String tensor, TensorView activations) {
            observe(tensor, -1, activations);
        }

        @Override
        public void observe(String tensor, int expert, TensorView a) {
            int width = (int) a.rowLength();
            int rows = (int) a.rows();
            float[] x = new float[width * rows];
            a.readRows(0, rows, x, 0);
            String key = tensor + "#" + Math.max(expert, 0);
            double[] s = sums.computeIfAbsent(key, k -> new double[width]);
            for (int i = 0; i < x.length; i++) {
                s[i % width] += (double) x[i] * x[i];
            }
            counts.merge(key, (long) rows, Long::sum);
        }

        @Override
        public CalibrationStats finish() {
            return new CalibrationStats("test", Map.of());
        }
    }

    @ParameterizedTest
    @CsvSource({"stories260K, 1e-3, 0", "synth-moe, 1e-3, 0", "synth-qwen3moe, 3e-2, 0.005"})
    void sumsOfSquaresMatchLlamaImatrix(String model, double tolerance, double movedFraction) throws IOException {
        String text = Files.readString(Reference.file("reference/eval/tokenizer/tinystories_sample.stories260K.ids")).trim();
        int[] ids = java.util.Arrays.stream(text.substring(1, text.length() - 1).split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        SumSquares calibrator = new SumSquares();
        try (ModelRunner runner = ModelRunner.open(Reference.model(model), REGISTRY, RunOptions.defaults().withThreads(2))) {
            for (int c = 0; c < 10; c++) {
                int[] chunk = java.util.Arrays.copyOfRange(ids, c * 128, (c + 1) * 128);
                chunk[0] = 1;
                runner.newSession(ActivationObserver.of(calibrator)).append(chunk);
            }
        }
        var refPath = Reference.file("reference/eval/imatrix/" + model + ".imatrix.gguf");
        TreeSet<String> refWeights = new TreeSet<>();
        double worst = 0;
        long mostMoved = 0;
        try (ModelReader ref = REGISTRY.formatFor(refPath).orElseThrow().open(refPath)) {
            Map<String, TensorInfo> byName = new HashMap<>();
            ref.tensors().forEach(t -> byName.put(t.name(), t));
            for (TensorInfo t : ref.tensors()) {
                if (!t.name().endsWith(".in_sum2")) {
                    continue;
                }
                String weight = t.name().substring(0, t.name().length() - ".in_sum2".length());
                refWeights.add(weight);
                TensorView sums = ref.view(t);
                TensorView counts = ref.view(byName.get(weight + ".counts"));
                int width = (int) sums.rowLength();
                int experts = (int) sums.rows();
                float[] s = new float[width * experts];
                sums.readRows(0, experts, s, 0);
                float[] n = new float[experts];
                counts.readRows(0, (int) counts.rows(), n, 0);
                long moved = 0;
                for (int e = 0; e < experts; e++) {
                    String key = weight + "#" + e;
                    long countDiff = Math.abs((long) n[e] - calibrator.counts.getOrDefault(key, 0L));
                    moved += countDiff;
                    if (experts == 1) {
                        assertEquals((long) n[e], calibrator.counts.getOrDefault(key, 0L), key + " token count");
                    }
                    double[] ours = calibrator.sums.get(key);
                    double diff = 0;
                    double norm = 0;
                    for (int i = 0; i < width; i++) {
                        double r = s[e * width + i];
                        diff += (ours[i] - r) * (ours[i] - r);
                        norm += r * r;
                    }
                    double rel = Math.sqrt(diff / norm);
                    worst = Math.max(worst, rel);
                    assertTrue(rel <= tolerance, key + ": relative L2 " + rel);
                }
                // each slot routed elsewhere shows as -1 on one expert and +1 on another
                long slots = 1280L * (experts == 1 ? 1 : 2); // MoE references: top-2 of 4 experts
                assertTrue(moved / 2 <= movedFraction * slots, weight + ": " + moved / 2 + " of " + slots
                        + " routed slots differ");
                mostMoved = Math.max(mostMoved, moved / 2);
            }
        }
        TreeSet<String> ours = new TreeSet<>();
        calibrator.counts.keySet().forEach(k -> ours.add(k.substring(0, k.indexOf('#'))));
        ours.remove("output.weight"); // llama-imatrix skips the output matrix without --process-output
        assertEquals(refWeights, ours, "the same weights are observed");
        System.err.printf("%s: imatrix in_sum2 worst relative L2 %.3g over %d weights; at most %d routed slots"
                + " differ per weight%n", model, worst, refWeights.size(), mostMoved);
    }
}
