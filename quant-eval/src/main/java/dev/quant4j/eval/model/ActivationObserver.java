package dev.quant4j.eval.model;

import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;

/**
 * Sees the input of every matrix multiplication by a model weight, before it runs: {@code attn_q/k/v},
 * {@code attn_output}, {@code ffn_gate/up/down}, each expert of {@code ffn_*_exps} (only the tokens routed to
 * it) and the output matrix. For {@code ffn_down} the input is the gated {@code silu(gate) * up}. This is what
 * imatrix, SmoothQuant, AWQ and GPTQ calibrators consume.
 */
@FunctionalInterface
public interface ActivationObserver {
    /** Observes nothing. */
    ActivationObserver NONE = (weight, expert, rows, tokens, width) -> { };

    /**
     * @param weight the weight tensor's name, e.g. {@code blk.3.ffn_down.weight}
     * @param expert the expert index for {@code *_exps} weights, -1 for dense weights
     * @param rows   {@code tokens} input rows of {@code width} floats, row-major; only valid during the call
     * @param tokens number of rows
     * @param width  row length (the weight's row length)
     */
    void observe(String weight, int expert, float[] rows, int tokens, int width);

    /**
     * Sees the product right after it ran (after {@link #observe} of the same matmul, on the same thread): {@code
     * tokens} rows of {@code width} outputs (the weight's row count), row-major; only valid during the call. Super-
     * weight detection compares the spikes at a weight's input and output; most observers ignore it.
     */
    default void produced(String weight, int expert, float[] out, int tokens, int width) {
    }

    /**
     * Whether the observer looks at the matmuls of {@code weight} (a weight tensor's name). For a weight it declines
     * the forward pass may leave out both calls and run the product as it runs unobserved: today the output matrix
     * ({@code output.weight}, or {@code token_embd.weight} when tied), one product for the asked rows of a batch's
     * sequences instead of one per sequence and micro-batch (the same logits). The default, true, sees them all.
     */
    default boolean observes(String weight) {
        return true;
    }

    /**
     * Whether independent sequences that each fit one micro-batch may share the matmuls the observer sees (one
     * call whose rows are the sequences' rows one after another, each sequence's in order), as they share them in
     * an unobserved batch. Statistics summed row by row per column (imatrix's Σx² and counts) come out the same,
     * and the weights are decoded once per batch instead of once per sequence. The default, false, gives every
     * sequence calls of its own, as a {@link Session} per sequence makes them.
     */
    default boolean acceptsSequenceBatches() {
        return false;
    }

    /** Feeds a {@link Calibrator}: each call becomes {@code observe(weight, expert, view)} over a copy of the rows. */
    static ActivationObserver of(Calibrator calibrator) {
        return (weight, expert, rows, tokens, width) -> {
            float[] copy = rows.length == tokens * width ? rows : java.util.Arrays.copyOf(rows, tokens * width);
            calibrator.observe(weight, expert, TensorView.ofFloats(weight, Shape.of(width, tokens), copy));
        };
    }
}
