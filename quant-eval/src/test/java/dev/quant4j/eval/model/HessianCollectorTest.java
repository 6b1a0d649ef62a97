package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.eval.gptq.HessianCalibration;
import dev.quant4j.eval.gptq.HessianCollector;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
        assertTrue(e.getMessage().contains("b.weight") && e.getMessage().contains("Σ cols² × 8"), e.getMessage());
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
}
