package dev.quant4j.cli;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How closely a quantized model follows its original: both run the same token sequences (batched from position
 * 0, as perplexity runs its chunks) and every position's next-token distributions are compared. The demo's last
 * step; it also makes the distribution's start-up cache training run (./quant) exercise the forward pass.
 *
 * @param positions compared positions
 * @param meanKld   mean KL divergence of the quantized distribution from the original's, in nats
 * @param sameTop   fraction of positions where both pick the same most likely token
 * @param seconds   wall time of both forward passes
 */
record ForwardAgreement(int positions, double meanKld, double sameTop, double seconds) {
    /** {@code sequences} pseudo-random sequences of {@code length} tokens below {@code vocab} (seeded: repeatable). */
    static ForwardAgreement measure(QuantRegistry registry, Path base, Path quantized, int vocab, int sequences,
                                    int length, int threads) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        List<int[]> input = new ArrayList<>();
        for (int s = 0; s < sequences; s++) {
            input.add(random.ints(length, 0, vocab).toArray());
        }
        RunOptions options = threads > 0 ? RunOptions.defaults().withThreads(threads) : RunOptions.defaults();
        long t0 = System.nanoTime();
        float[][] p = logits(registry, base, options, input);
        float[][] q = logits(registry, quantized, options, input);
        double kld = 0;
        int same = 0;
        int positions = sequences * length;
        for (int s = 0; s < sequences; s++) {
            for (int r = 0; r < length; r++) {
                int off = r * vocab;
                kld += kld(p[s], q[s], off, vocab);
                same += argmax(p[s], off, vocab) == argmax(q[s], off, vocab) ? 1 : 0;
            }
        }
        return new ForwardAgreement(positions, kld / positions, (double) same / positions,
                (System.nanoTime() - t0) / 1e9);
    }

    private static float[][] logits(QuantRegistry registry, Path model, RunOptions options, List<int[]> input)
            throws IOException {
        float[][] out = new float[input.size()][];
        try (ModelRunner runner = ModelRunner.open(model, registry, options)) {
            runner.logits(input, 0, false, (s, logits) -> out[s] = logits.clone());
        }
        return out;
    }

    /** {@code sum p log(p / q)} of the softmaxes of two logit rows. */
    static double kld(float[] p, float[] q, int off, int n) {
        double lp = logSumExp(p, off, n);
        double lq = logSumExp(q, off, n);
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            double logP = p[i] - lp;
            sum += Math.exp(logP) * (logP - (q[i] - lq));
        }
        return sum;
    }

    private static double logSumExp(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            sum += Math.exp(x[i] - max);
        }
        return max + Math.log(sum);
    }

    private static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[off + i] > x[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
