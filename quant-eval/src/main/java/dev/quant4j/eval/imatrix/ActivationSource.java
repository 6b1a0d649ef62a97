package dev.quant4j.eval.imatrix;

import dev.quant4j.eval.metrics.LogitsSource;
import java.util.List;

/** A model that runs a sequence while reporting every matmul input to a sink (the forward pass with an observer). */
public interface ActivationSource {
    int vocabSize();

    /**
     * Runs one sequence from position 0 (an empty KV cache), reporting each matmul's input to {@code sink}, and
     * returns the all-position logits, row-major {@code [tokens.length × vocabSize()]}.
     */
    float[] run(int[] tokens, ActivationSink sink);

    /**
     * Whether {@link #run(List, ActivationSink, LogitsSource.ChunkLogits)} runs all its sequences through one layer
     * before the next (each weight read once per call), so callers should hand it many sequences at once.
     */
    default boolean layerStreaming() {
        return false;
    }

    /**
     * Runs independent sequences (each as {@link #run(int[], ActivationSink)}) and hands their all-position logits
     * to {@code logits} in order. The sink sees, for every weight, the sequences' inputs in sequence order, cut as a
     * sequence-by-sequence run cuts them, so statistics summed per weight are the same as from running them one by
     * one. The default does exactly that.
     */
    default void run(List<int[]> sequences, ActivationSink sink, LogitsSource.ChunkLogits logits) {
        for (int i = 0; i < sequences.size(); i++) {
            logits.accept(i, run(sequences.get(i), sink));
        }
    }
}
