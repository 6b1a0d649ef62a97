package dev.quant4j.eval.metrics;

import java.util.Arrays;

/**
 * The one thing perplexity and KL-divergence need from a model: the logits of a chunk. Each call is an
 * independent sequence starting at position 0 (an empty KV cache), as llama-perplexity clears its cache per chunk.
 * Implemented over the forward pass ({@code ModelRunner}); tests use synthetic sources.
 */
public interface LogitsSource {
    int vocabSize();

    /**
     * All-position logits of one sequence: row-major {@code [tokens.length × vocabSize()]}; row i holds the logits
     * after feeding tokens {@code 0..i} (it predicts token i+1).
     */
    float[] logits(int[] tokens);

    /**
     * Rows {@code firstRow ..} only (row-major, {@code (tokens.length - firstRow) × vocabSize()}). Scoring needs the
     * second half of each chunk; a runner can override this to skip the output projection of the first half and
     * halve the memory. The default slices {@link #logits(int[])}.
     */
    default float[] logits(int[] tokens, int firstRow) {
        float[] all = logits(tokens);
        return firstRow == 0 ? all : Arrays.copyOfRange(all, firstRow * vocabSize(), all.length);
    }
}
