package dev.quant4j.eval.metrics;

import java.util.Arrays;
import java.util.List;

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

    /**
     * How many of a run's {@code chunks} chunks of {@code nCtx} tokens {@link #logits(List, int, ChunkLogits)}
     * should get per call: 1 by default; a runner that shares weight decodes across chunks (a batch of
     * independent sequences, or layer streaming: all chunks at once) asks for more.
     */
    default int chunksPerCall(int nCtx, int chunks) {
        return 1;
    }

    /** Receives one chunk's logits from {@link #logits(List, int, ChunkLogits)}. */
    interface ChunkLogits {
        void accept(int chunk, float[] logits);

        /**
         * The chunk's logits as {@code length} floats of {@code logits} from {@code offset}, valid during the call
         * only (a source may reuse the array). The default copies them for {@link #accept(int, float[])}.
         */
        default void accept(int chunk, float[] logits, int offset, int length) {
            accept(chunk, Arrays.copyOfRange(logits, offset, offset + length));
        }

        /** A sink that reads each chunk's logits where they are, from {@code offset} ({@link InPlace}). */
        static ChunkLogits inPlace(InPlace rows) {
            return new ChunkLogits() {
                @Override
                public void accept(int chunk, float[] logits) {
                    rows.accept(chunk, logits, 0);
                }

                @Override
                public void accept(int chunk, float[] logits, int offset, int length) {
                    rows.accept(chunk, logits, offset);
                }
            };
        }
    }

    /** Reads one chunk's logits from {@code logits[offset]} during the call. */
    interface InPlace {
        void accept(int chunk, float[] logits, int offset);
    }

    /**
     * {@link #logits(int[], int)} of several independent chunks, handed to {@code sink} in order (index into
     * {@code chunks}). The default runs them one by one.
     */
    default void logits(List<int[]> chunks, int firstRow, ChunkLogits sink) {
        for (int i = 0; i < chunks.size(); i++) {
            sink.accept(i, logits(chunks.get(i), firstRow));
        }
    }
}
