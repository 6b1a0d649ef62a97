package dev.quant4j.eval.imatrix;

/** A model that runs a sequence while reporting every matmul input to a sink (the forward pass with an observer). */
public interface ActivationSource {
    int vocabSize();

    /**
     * Runs one sequence from position 0 (an empty KV cache), reporting each matmul's input to {@code sink}, and
     * returns the all-position logits, row-major {@code [tokens.length × vocabSize()]}.
     */
    float[] run(int[] tokens, ActivationSink sink);
}
