package dev.quant4j.eval.model;

/**
 * One sequence being evaluated: its K/V cache and position. Batches longer than 512 tokens run in steps of 512
 * (the same results; activation memory stays bounded). Feed a prompt as one batch, then one token at a
 * time for generation; each call continues where the last one stopped. Not thread safe (one sequence); the
 * work inside each call runs on the runner's threads.
 */
public final class Session {
    /** Tokens per forward step: bounds activation memory for long batches (llama.cpp's default n_ubatch). */
    static final int MICRO_BATCH = 512;

    private final Transformer model;
    private final MatMul mm;
    private final KvCache cache;
    private final boolean f16Q;
    private final ActivationObserver observer;
    private int position;

    Session(Transformer model, MatMul mm, KvCache cache, boolean f16Q, ActivationObserver observer) {
        this.model = model;
        this.mm = mm;
        this.cache = cache;
        this.f16Q = f16Q;
        this.observer = observer;
    }

    /** Positions evaluated so far (the next token's position). */
    public int position() {
        return position;
    }

    /** Logits of every token of the batch, row-major {@code [tokens.length][vocab]}. */
    public float[] append(int... tokens) {
        return run(tokens, true);
    }

    /** Logits after the last token of the batch only ({@code vocab} floats): cheaper for generation. */
    public float[] appendForNext(int... tokens) {
        return run(tokens, false);
    }

    private float[] run(int[] tokens, boolean all) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens to evaluate");
        }
        int vocab = model.vocabSize();
        float[] logits = all ? new float[Math.multiplyExact(tokens.length, vocab)] : null;
        float[] last = null;
        for (int start = 0; start < tokens.length; start += MICRO_BATCH) {
            int[] part = java.util.Arrays.copyOfRange(tokens, start, Math.min(tokens.length, start + MICRO_BATCH));
            float[] out = model.forward(part, position, cache, mm, f16Q, observer, all);
            if (all) {
                System.arraycopy(out, 0, logits, start * vocab, out.length);
            } else {
                last = out;
            }
            position += part.length;
        }
        return all ? logits : last;
    }
}
