package dev.quant4j.eval.metrics;

import java.io.IOException;
import java.util.Objects;

/**
 * Drives llama-perplexity's {@code --kl-divergence}: the tokens come from the base file (no text needed), each
 * chunk runs through the candidate with BOS first, and its scored rows are compared with the base's rows.
 */
public final class KldRun {
    private final int bos;
    private final ChunkListener listener;

    /**
     * @param bos      the candidate vocabulary's BOS id put first in every chunk, or -1 when it adds none
     * @param listener receives llama-perplexity's per-chunk table rows
     */
    public KldRun(int bos, ChunkListener listener) {
        this.bos = bos;
        this.listener = Objects.requireNonNull(listener);
    }

    public KldStatistics run(KldBaseReader base, LogitsSource model) throws IOException {
        if (model.vocabSize() != base.vocabSize()) {
            throw new dev.quant4j.api.error.QuantException(dev.quant4j.api.error.ErrorCode.INVALID_OPTION,
                    "inconsistent vocabulary: the base file has " + base.vocabSize() + " tokens, the model "
                            + model.vocabSize());
        }
        ChunkPlan plan = base.plan();
        int[] tokens = base.tokens();
        KldAccumulator acc = new KldAccumulator(plan, model.vocabSize());
        long t0 = System.nanoTime();
        int step = Math.max(1, model.chunksPerCall(plan.nCtx(), plan.chunks()));
        for (int k0 = 0; k0 < plan.chunks(); k0 += step) {
            PerplexityRun.checkInterrupt();
            int first = k0;
            try {
                model.logits(PerplexityRun.inputs(plan, tokens, bos, k0, step), plan.first(),
                        LogitsSource.ChunkLogits.inPlace((i, logits, offset) -> {
                int k = first + i;
                try {
                    acc.addChunk(logits, offset, plan.first(), plan.original(tokens, k), base.nextChunk());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                listener.chunkDone(k + 1, plan.chunks(), System.nanoTime() - t0, acc.chunkLine());
                }));
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return acc.statistics();
    }
}
