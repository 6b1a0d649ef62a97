package dev.quant4j.eval.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Drives llama-perplexity over a token stream: chunks as in {@link ChunkPlan}, BOS first, the second half scored;
 * optionally writes the {@code --kl-divergence-base} file in the same pass (then, like llama.cpp, the NLLs are
 * computed in float). Single threaded over chunks; the parallelism is inside the {@link LogitsSource}.
 */
public final class PerplexityRun {
    private final ChunkPlan plan;
    private final int bos;
    private final ChunkListener listener;

    /**
     * @param plan     the chunking
     * @param bos      the BOS id put first in every chunk, or -1 when the vocabulary adds none
     * @param listener progress
     */
    public PerplexityRun(ChunkPlan plan, int bos, ChunkListener listener) {
        this.plan = Objects.requireNonNull(plan);
        this.bos = bos;
        this.listener = Objects.requireNonNull(listener);
    }

    /** Scores {@code tokens} (the whole tokenized text, BOS included). */
    public PerplexityResult run(int[] tokens, LogitsSource model) {
        try {
            return run(tokens, model, null);
        } catch (IOException e) {
            throw new IllegalStateException("no file is written", e);
        }
    }

    /** Scores {@code tokens} and writes the base log-probabilities to {@code baseFile} (atomically) when not null. */
    public PerplexityResult run(int[] tokens, LogitsSource model, Path baseFile) throws IOException {
        PerplexityAccumulator acc = new PerplexityAccumulator(plan, model.vocabSize());
        long t0 = System.nanoTime();
        try (KldBaseWriter base = baseFile == null ? null
                : KldBaseWriter.create(baseFile, plan, model.vocabSize(), tokens)) {
            int step = Math.max(1, model.chunksPerCall(plan.nCtx(), plan.chunks()));
            for (int k0 = 0; k0 < plan.chunks(); k0 += step) {
                checkInterrupt();
                int first = k0;
                try {
                    model.logits(inputs(plan, tokens, bos, k0, step), plan.first(),
                            LogitsSource.ChunkLogits.inPlace((i, logits, offset) -> {
                    int k = first + i;
                    int[] original = plan.original(tokens, k);
                    if (base == null) {
                        acc.addChunk(logits, offset, plan.first(), original);
                    } else {
                        try {
                            acc.addChunkNlls(base.writeChunk(logits, offset, plan.first(), original));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    listener.chunkDone(k + 1, plan.chunks(), System.nanoTime() - t0, acc.progressEntry());
                    }));
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            if (base != null) {
                base.commit();
            }
        }
        return acc.result();
    }

    /** The inputs of chunks {@code k0 .. k0 + count - 1} (fewer at the end). */
    static java.util.List<int[]> inputs(ChunkPlan plan, int[] tokens, int bos, int k0, int count) {
        java.util.List<int[]> in = new java.util.ArrayList<>();
        for (int k = k0; k < Math.min(plan.chunks(), k0 + count); k++) {
            in.add(plan.input(tokens, k, bos));
        }
        return in;
    }

    static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("interrupted");
        }
    }
}
