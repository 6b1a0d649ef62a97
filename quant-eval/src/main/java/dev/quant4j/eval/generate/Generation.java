package dev.quant4j.eval.generate;

import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.Session;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Autoregressive generation: the prompt as one batch, then one token at a time through the K/V cache, as
 * llama-completion does; stops after {@code n} tokens or at the end-of-sequence token (which is not emitted).
 */
public final class Generation {
    private Generation() {
    }

    /**
     * @param prompt token ids including BOS when the model wants it
     * @param eos    end-of-sequence id, or -1 to never stop early
     * @param onToken called with each generated id as soon as it is chosen
     */
    public static Result run(ModelRunner model, int[] prompt, int n, int eos, Sampler sampler, IntConsumer onToken) {
        Session session = model.newSession();
        long t0 = System.nanoTime();
        float[] logits = session.appendForNext(prompt);
        long t1 = System.nanoTime();
        int[] out = new int[n];
        int count = 0;
        while (count < n) {
            int id = sampler.next(logits);
            if (id == eos) {
                break;
            }
            out[count++] = id;
            onToken.accept(id);
            if (count < n) {
                logits = session.appendForNext(id);
            }
        }
        long t2 = System.nanoTime();
        return new Result(prompt.clone(), Arrays.copyOf(out, count), count < n, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /**
     * @param promptSeconds time of the prompt batch; {@code generateSeconds} of the token-by-token decode
     */
    public record Result(int[] prompt, int[] generated, boolean stoppedAtEos, double promptSeconds,
                         double generateSeconds) {
        public Result {
            prompt = prompt.clone();
            generated = generated.clone();
        }

        @Override
        public int[] prompt() {
            return prompt.clone();
        }

        @Override
        public int[] generated() {
            return generated.clone();
        }
    }
}
