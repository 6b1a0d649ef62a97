package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.eval.gptq.HessianCalibration;
import dev.quant4j.eval.gptq.HessianCollector;
import dev.quant4j.eval.gptq.HessianPasses;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hessian diagonal is llama-imatrix's statistic: {@code H_ii · n / 2 = Σ x_i²}. Replays llama-imatrix's run
 * (10 chunks of 128 tokens, first token BOS) and compares every weight's (and expert's) diagonal and count with
 * reference/eval/imatrix/M.imatrix.gguf, as ObserverImatrixTest does for the imatrix calibrator.
 */
class HessianCollectorTest {
    @TempDir
    Path dir;

    @Test
    void diagonalIsLlamaImatrixSumOfSquares() throws IOException {
        for (String model : new String[] {"stories260K", "synth-moe"}) {
            String text = Files.readString(Reference.file("reference/eval/tokenizer/tinystories_sample.stories260K.ids")).trim();
            int[] ids = java.util.Arrays.stream(text.substring(1, text.length() - 1).split(","))
                    .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
            HessianCollector collector = new HessianCollector(1L << 30);
            try (ModelRunner runner = ModelRunner.open(Reference.model(model), LlamaLogitsTest.REGISTRY,
                    RunOptions.defaults().withThreads(2))) {
                for (int c = 0; c < 10; c++) {
                    int[] chunk = java.util.Arrays.copyOfRange(ids, c * 128, (c + 1) * 128);
                    chunk[0] = 1;
                    runner.newSession(collector).append(chunk);
                }
            }
            Path out = dir.resolve(model + ".q4jhes");
            try (HessianFile.Writer w = new HessianFile.Writer(out, new HessianFile.Header(new byte[32], new byte[32], 128, 10, 1280))) {
                collector.writeTo(w);
                w.commit();
            }
            Path refPath = Reference.file("reference/eval/imatrix/" + model + ".imatrix.gguf");
            int checked = 0;
            try (HessianFile h = HessianFile.open(out);
                 ModelReader ref = LlamaLogitsTest.REGISTRY.formatFor(refPath).orElseThrow().open(refPath)) {
                Map<String, TensorInfo> byName = new HashMap<>();
                ref.tensors().forEach(t -> byName.put(t.name(), t));
                for (TensorInfo t : ref.tensors()) {
                    if (!t.name().endsWith(".in_sum2")) {
                        continue;
                    }
                    String weight = t.name().substring(0, t.name().length() - ".in_sum2".length());
                    int width = (int) t.shape().rowLength();
                    int experts = (int) t.shape().rows();
                    float[] s = new float[width * experts];
                    ref.view(t).readRows(0, experts, s, 0);
                    float[] n = new float[experts];
                    var counts = ref.view(byName.get(weight + ".counts"));
                    counts.readRows(0, (int) counts.rows(), n, 0);
                    for (int e = 0; e < experts; e++) {
                        int expert = t.name().contains("_exps") ? e : -1;
                        long samples = h.samples(weight, expert);
                        assertEquals((long) n[e], samples, weight + "#" + e + " count");
                        if (samples == 0) {
                            continue;
                        }
                        double[] hess = h.hessian(weight, expert);
                        double diff = 0;
                        double norm = 0;
                        for (int i = 0; i < width; i++) {
                            double ours = hess[i * width + i] * samples / 2;
                            double r = s[e * width + i];
                            diff += (ours - r) * (ours - r);
                            norm += r * r;
                        }
                        assertTrue(Math.sqrt(diff / norm) <= 1e-3, weight + "#" + e + ": relative L2 " + Math.sqrt(diff / norm));
                        checked++;
                    }
                }
            }
            assertTrue(checked > 5, model + ": " + checked + " Hessians checked");
        }
    }

    @Test
    void memoryLimitIsRefusedWithTheFigure() {
        HessianCollector c = new HessianCollector(8L * 64 * 64 + 1);
        c.observe("a.weight", -1, new float[64], 1, 64);
        var e = assertThrows(QuantException.class, () -> c.observe("b.weight", -1, new float[64], 1, 64));
        assertTrue(e.getMessage().contains("b.weight") && e.getMessage().contains("--gptq-memory"), e.getMessage());
    }

    @Test
    void calibrationWritesAReusableFileOnTinyShakespeare() throws IOException {
        Path model = Reference.file("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path text = Reference.file("reference/trained/tiny-shakespeare-256-train.txt");
        Path out = dir.resolve("ts.q4jhes");
        HessianCalibration cal = new HessianCalibration(256, 2, 1L << 30);
        try (ModelRunner runner = ModelRunner.open(model, LlamaLogitsTest.REGISTRY, RunOptions.defaults().withThreads(2))) {
            assertEquals(512, cal.run(runner, text, out, c -> { }));
        }
        assertTrue(cal.reusable(out, model, text));
        assertTrue(!new HessianCalibration(256, 3, 1L << 30).reusable(out, model, text), "another chunk count");
        try (HessianFile f = HessianFile.open(out)) {
            // 6 layers × 7 matmuls + output.weight
            assertEquals(6 * 7 + 1, f.keys().size(), f.keys().toString());
            assertEquals(512, f.samples("blk.5.ffn_down.weight", -1));
            assertEquals(768 * 768, f.hessian("blk.5.ffn_down.weight", -1).length);
        }
    }

    @Test
    void streamedPassesGiveTheOnePassHessiansWithinTheBudget() throws IOException {
        Path model = Reference.file("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path text = Reference.file("reference/trained/tiny-shakespeare-256-train.txt");
        Path one = dir.resolve("one.q4jhes");
        Path streamed = dir.resolve("streamed.q4jhes");
        long budget = 6L << 20; // ffn_down's 768² × 8 (4.5 MiB) fits, a layer (8.4 MiB) does not
        try (ModelRunner runner = ModelRunner.open(model, LlamaLogitsTest.REGISTRY, RunOptions.defaults().withThreads(2))) {
            assertTrue(HessianPasses.total(runner.tensors()) > 5 * budget);
            assertTrue(HessianPasses.plan(runner.tensors(), budget).size() >= 6);
            int[] chunks = {0, 0};
            new HessianCalibration(256, 2, 1L << 30).run(runner, text, one, c -> chunks[0] = c);
            new HessianCalibration(256, 2, budget).run(runner, text, streamed, c -> chunks[1] = c);
            assertEquals(2, chunks[0]);
            assertEquals(2 * HessianPasses.plan(runner.tensors(), budget).size(), chunks[1], "one pass per group");
        }
        try (HessianFile a = HessianFile.open(one); HessianFile b = HessianFile.open(streamed)) {
            assertEquals(a.keys(), Set.copyOf(b.keys()));
            for (String k : a.keys()) {
                String name = k.contains("#") ? k.substring(0, k.indexOf('#')) : k;
                int e = k.contains("#") ? Integer.parseInt(k.substring(k.indexOf('#') + 1)) : -1;
                assertEquals(a.samples(name, e), b.samples(name, e), k);
                assertArrayEquals(a.hessian(name, e), b.hessian(name, e), 1e-9, k);
            }
        }
    }

    @Test
    void passesOfATinyLlamaShapedModelStayWithinTheBudget() {
        List<TensorInfo> t = TinyLlamaShapes.tensors(8); // TinyLlama-1.1B shapes, 8 layers
        long budget = 300L << 20;
        List<CalibrationPasses.Pass> passes = HessianPasses.plan(t, budget);
        List<String> covered = new ArrayList<>();
        long sum = 0;
        for (CalibrationPasses.Pass p : passes) {
            assertTrue(p.bytes() <= budget, p.toString());
            covered.addAll(p.weights());
            sum += p.bytes();
        }
        // 6 × 2048² × 8 + 5632² × 8 per layer, the embedding and the output: every weight exactly once
        assertEquals(8 * (6L * 2048 * 2048 * 8 + 5632L * 5632 * 8) + 2 * 2048L * 2048 * 8, sum);
        assertEquals(HessianPasses.total(t), sum);
        assertEquals(8 * 7 + 2, Set.copyOf(covered).size());
        assertEquals(covered.size(), Set.copyOf(covered).size());
        assertTrue(passes.size() >= sum / budget, passes.size() + " passes");
        // a Llama-3-8B ffn_down (14336 wide: 1568 MiB in double) does not fit a 1 GiB budget: refused by name
        var e = assertThrows(QuantException.class, () -> HessianPasses.plan(List.of(info("blk.0.ffn_down.weight",
                14336, 4096)), 1L << 30));
        assertTrue(e.getMessage().contains("blk.0.ffn_down.weight") && e.getMessage().contains("1568 MiB"), e.getMessage());
    }

    private static TensorInfo info(String name, long... ne) {
        return TinyLlamaShapes.info(name, ne);
    }
}
