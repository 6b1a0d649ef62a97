package dev.quant4j.eval.imatrix;

/**
 * What the forward pass reports to imatrix collection: the input of every matrix multiplication with a model
 * weight, named by the weight tensor ({@code blk.3.ffn_down.weight}). Called on the thread running the
 * forward pass, one matmul at a time; the arrays are only read during the call.
 */
public interface ActivationSink {
    /**
     * A dense matmul {@code W · x}: {@code rows} input rows (one per token) of {@code cols} values, row-major.
     * For {@code ffn_down} the input is the gated activation {@code silu(gate·x) ⊙ up·x}.
     */
    void dense(String weight, float[] x, int rows, int cols);

    /**
     * A mixture-of-experts matmul over stacked experts ({@code W.ne = [cols, out, nExpert]}): token t's slot s used
     * expert {@code ids[t * nUsed + s]} on input row {@code (t * xSlots + s % xSlots)} of {@code x}; {@code xSlots}
     * is 1 when all slots share the token's input (gate, up) and {@code nUsed} when each has its own (down).
     */
    void routed(String weight, int nExpert, float[] x, int nTokens, int xSlots, int cols, int[] ids, int nUsed);

    /**
     * Whether the sink wants the inputs of matmuls with {@code weight} at all; the model need not report the
     * others (and may run them as it runs them unobserved). The default, true, takes every one.
     */
    default boolean collects(String weight) {
        return true;
    }
}
