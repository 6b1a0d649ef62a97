package dev.quant4j.eval.generate;

import java.util.SplittableRandom;

/** Picks the next token from a row of logits. */
public sealed interface Sampler permits Sampler.Greedy, Sampler.Temperature {
    int next(float[] logits);

    /** Temperature 0 (llama.cpp's {@code --temp 0}): the highest logit, the lowest id on a tie. */
    static Sampler greedy() {
        return new Greedy();
    }

    /** Softmax of {@code logits / temperature}, sampled with a seeded generator (not llama.cpp's sampler chain). */
    static Sampler temperature(double temperature, long seed) {
        return temperature <= 0 ? greedy() : new Temperature(temperature, new SplittableRandom(seed));
    }

    record Greedy() implements Sampler {
        @Override
        public int next(float[] logits) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    record Temperature(double temperature, SplittableRandom random) implements Sampler {
        @Override
        public int next(float[] logits) {
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) {
                max = Math.max(max, l);
            }
            double[] p = new double[logits.length];
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.exp((logits[i] - max) / temperature);
                sum += p[i];
            }
            double u = random.nextDouble() * sum;
            for (int i = 0; i < p.length; i++) {
                u -= p[i];
                if (u < 0) {
                    return i;
                }
            }
            return p.length - 1;
        }
    }
}
