package dev.quant4j.eval.model;

import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The measurement behind docs/gptq.md (not a regression test; runs only with
 * {@code -Dquant4j.gptq.candidates=a.gguf,b.gguf,...}): mean KL divergence of each candidate's next-token
 * distribution from the F16 model's on tiny-shakespeare's held-out text, scored as llama-perplexity
 * --kl-divergence scores: chunks of {@code ctx} tokens whose first token is BOS, positions ctx/2 .. ctx-2.
 * {@code -Dquant4j.gptq.chunks=N} (default 40), {@code -Dquant4j.gptq.out=FILE} appends the result lines.
 * Candidates given in pairs (RTN, GPTQ) also get the paired difference of their per-position KLDs.
 */
class GptqKldMeasure {
    @Test
    void meanKld() throws IOException {
        String list = System.getProperty("quant4j.gptq.candidates", "");
        Assumptions.assumeFalse(list.isBlank(), "set -Dquant4j.gptq.candidates=... to measure");
        int chunks = Integer.getInteger("quant4j.gptq.chunks", 40);
        int ctx = 256;
        Path base = Reference.file("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path text = Reference.file("reference/trained/tiny-shakespeare-256-heldout.txt");
        RunOptions opts = RunOptions.llamaCppEmulation().withThreads(2);
        int first = ctx / 2;
        int positions = ctx - 1 - first;
        List<float[]> baseLogProbs = new ArrayList<>();
        int[] ids;
        int vocab;
        try (ModelRunner m = ModelRunner.open(base, LlamaLogitsTest.REGISTRY, opts)) {
            Tokenizer tok = Tokenizers.fromMetadata(m.metadata());
            ids = tok.encodeUtf8(Files.readAllBytes(text), true, false);
            vocab = m.vocabSize();
            for (int c = 0; c < chunks; c++) {
                baseLogProbs.add(logProbs(m, chunk(ids, c, ctx, tok.bos()), first, positions, vocab));
            }
        }
        List<String> lines = new ArrayList<>();
        double[] previous = null;
        String previousName = null;
        String[] cands = list.split(",");
        for (int ci = 0; ci < cands.length; ci++) {
            String cand = cands[ci];
            double[] per = new double[chunks * positions];
            Path p = Path.of(cand.trim());
            double sum = 0;
            double sumSq = 0;
            long n = 0;
            try (ModelRunner m = ModelRunner.open(p, LlamaLogitsTest.REGISTRY, opts)) {
                int bos = Tokenizers.fromMetadata(m.metadata()).bos();
                for (int c = 0; c < chunks; c++) {
                    float[] q = logProbs(m, chunk(ids, c, ctx, bos), first, positions, vocab);
                    float[] b = baseLogProbs.get(c);
                    for (int t = 0; t < positions; t++) {
                        double kl = 0;
                        for (int v = 0; v < vocab; v++) {
                            double lp = b[t * vocab + v];
                            kl += Math.exp(lp) * (lp - q[t * vocab + v]);
                        }
                        per[(int) n] = kl;
                        sum += kl;
                        sumSq += kl * kl;
                        n++;
                    }
                }
            }
            double mean = sum / n;
            double se = Math.sqrt((sumSq / n - mean * mean) / (n - 1));
            String line = String.format("%s\tmean KLD %.6f ± %.6f\t(%d chunks, %d positions, %d bytes)",
                    p.getFileName(), mean, se, chunks, n, Files.size(p));
            System.err.println(line);
            lines.add(line);
            if (ci % 2 == 1) {
                double d = 0;
                double d2 = 0;
                for (int i = 0; i < per.length; i++) {
                    double x = per[i] - previous[i];
                    d += x;
                    d2 += x * x;
                }
                double md = d / per.length;
                double sd = Math.sqrt((d2 / per.length - md * md) / (per.length - 1));
                String pair = String.format("%s - %s\tpaired mean difference %.6f ± %.6f (%.1f%%)", p.getFileName(),
                        previousName, md, sd, 100 * md / (sum / n - md));
                System.err.println(pair);
                lines.add(pair);
            }
            previous = per;
            previousName = p.getFileName().toString();
        }
        String out = System.getProperty("quant4j.gptq.out");
        if (out != null) {
            Files.write(Path.of(out), lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static int[] chunk(int[] ids, int c, int ctx, int bos) {
        int[] chunk = Arrays.copyOfRange(ids, c * ctx, (c + 1) * ctx);
        chunk[0] = bos;
        return chunk;
    }

    /** Log-softmax of positions {@code first .. first+positions-1}. */
    private static float[] logProbs(ModelRunner m, int[] chunk, int first, int positions, int vocab) {
        float[] logits = m.logits(chunk);
        float[] out = new float[positions * vocab];
        for (int t = 0; t < positions; t++) {
            int off = (first + t) * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[off + v]);
            }
            double s = 0;
            for (int v = 0; v < vocab; v++) {
                s += Math.exp(logits[off + v] - max);
            }
            double lse = max + Math.log(s);
            for (int v = 0; v < vocab; v++) {
                out[t * vocab + v] = (float) (logits[off + v] - lse);
            }
        }
        return out;
    }
}
