package dev.quant4j.eval.imatrix;

import dev.quant4j.eval.metrics.LogitsSource;
import java.util.Arrays;
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
     * Whether {@link #run(List, int, ActivationSink, LogitsSource.ChunkLogits)} runs all its sequences through one
     * layer before the next (each weight read once per call), so callers should hand it many sequences at once.
     */
    default boolean layerStreaming() {
        return false;
    }

    /**
     * How many of a run's {@code chunks} chunks of {@code nCtx} tokens to hand
     * {@link #run(List, int, ActivationSink, LogitsSource.ChunkLogits)} per call: all of them when layer streaming,
     * else 1 by default; a source that batches independent sequences (sharing each weight decode) asks for more.
     */
    default int sequencesPerCall(int nCtx, int chunks) {
        return layerStreaming() ? chunks : 1;
    }

    /**
     * Runs independent sequences (each as {@link #run(int[], ActivationSink)}) and hands rows {@code firstRow ..} of
     * their logits to {@code logits} in order (row-major, {@code (length - firstRow) × vocabSize()}; empty when
     * {@code firstRow} is the length). The rows before {@code firstRow} need not reach the output matrix, nor the
     * sink for it: give 0 when the sink collects {@code output.weight}. For every other weight the sink sees the
     * sequences' inputs in sequence order, each sequence's rows in order, so statistics summed per column are the
     * same as from running them one by one. The default does exactly that.
     */
    default void run(List<int[]> sequences, int firstRow, ActivationSink sink, LogitsSource.ChunkLogits logits) {
        for (int i = 0; i < sequences.size(); i++) {
            float[] all = run(sequences.get(i), sink);
            logits.accept(i, firstRow == 0 ? all : Arrays.copyOfRange(all, Math.min(all.length,
                    firstRow * vocabSize()), all.length));
        }
    }
}
