package dev.quant4j.eval.metrics;

/** Progress of an evaluation: called after every chunk, on the thread running it. */
@FunctionalInterface
public interface ChunkListener {
    /**
     * @param chunk      chunks done (1-based)
     * @param chunks     chunks in the run
     * @param nanos      wall time since the run started
     * @param text       what llama.cpp prints after this chunk: a perplexity progress entry {@code [k]x.xxxx,} or a
     *                   KL-divergence table row
     */
    void chunkDone(int chunk, int chunks, long nanos, String text);

    ChunkListener NONE = (chunk, chunks, nanos, text) -> { };
}
