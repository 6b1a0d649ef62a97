package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Measurement harness for docs/transforms.md (not a regression test): mean KLD and PPL of each quantized
 * model named in -Dquant4j.measure.models (comma separated) against the f16 model, on the held-out text,
 * llama-perplexity style (ctx tokens per chunk, first token → BOS, rows ctx/2 .. ctx-2 scored).
 */
class TransformMeasurementTest {
    @Test
    void measure() throws Exception {
        String models = System.getProperty("quant4j.measure.models");
        assumeTrue(models != null && !models.isBlank(), "set -Dquant4j.measure.models to measure");
        int ctx = Integer.getInteger("quant4j.measure.ctx", 256);
        int maxChunks = Integer.getInteger("quant4j.measure.chunks", 40);
        Path base = SmoothQuantExactnessTest.shared("reference/trained/tiny-shakespeare-256-f16.gguf");
        String text = Files.readString(SmoothQuantExactnessTest.shared("reference/trained/tiny-shakespeare-256-heldout.txt"));
        QuantRegistry reg = QuantRegistry.load(getClass().getClassLoader());
        RunOptions opts = RunOptions.defaults().withMaxContext(ctx);
        List<float[]> baseLogits = new ArrayList<>();
        int[] ids;
        int bos;
        try (ModelRunner m = ModelRunner.open(base, reg, opts)) {
            Tokenizer tok = Tokenizers.fromMetadata(m.metadata());
            ids = tok.encode(text, true, false);
            bos = tok.bos();
            int chunks = Math.min(ids.length / ctx, maxChunks);
            for (int k = 0; k < chunks; k++) {
                baseLogits.add(m.logits(chunk(ids, k, ctx, bos)));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d chunks of %d tokens%n", baseLogits.size(), ctx));
        for (String name : models.split(",")) {
            Path p = Path.of(name.trim());
            double kld = 0;
            double nll = 0;
            long n = 0;
            try (ModelRunner m = ModelRunner.open(p, reg, opts)) {
                int vocab = m.vocabSize();
                for (int k = 0; k < baseLogits.size(); k++) {
                    float[] q = m.logits(chunk(ids, k, ctx, bos));
                    float[] b = baseLogits.get(k);
                    for (int i = ctx / 2; i <= ctx - 2; i++) {
                        double[] lb = logSoftmax(b, i * vocab, vocab);
                        double[] lq = logSoftmax(q, i * vocab, vocab);
                        double kl = 0;
                        for (int v = 0; v < vocab; v++) {
                            kl += Math.exp(lb[v]) * (lb[v] - lq[v]);
                        }
                        kld += kl;
                        nll -= lq[ids[k * ctx + i + 1]];
                        n++;
                    }
                }
            }
            out.append(String.format(Locale.ROOT, "%-40s size %9d  mean KLD %.6f  PPL %.4f%n", p.getFileName(),
                    Files.size(p), kld / n, Math.exp(nll / n)));
        }
        System.err.print(out);
        Files.writeString(Path.of(System.getProperty("quant4j.measure.out", "target/measure.txt")), out.toString());
    }

    private static int[] chunk(int[] ids, int k, int ctx, int bos) {
        int[] c = Arrays.copyOfRange(ids, k * ctx, (k + 1) * ctx);
        if (bos >= 0) {
            c[0] = bos;
        }
        return c;
    }

    private static double[] logSoftmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[off + i] - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = x[off + i] - lse;
        }
        return out;
    }
}
