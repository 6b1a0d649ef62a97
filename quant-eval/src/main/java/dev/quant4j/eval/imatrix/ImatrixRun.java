package dev.quant4j.eval.imatrix;

import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.PerplexityAccumulator;
import dev.quant4j.eval.metrics.PerplexityResult;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Drives llama-imatrix's {@code compute_imatrix}: the text's tokens cut as {@link ChunkPlan} (BOS first, the same
 * tokens per chunk as llama-perplexity), every chunk run with the collector attached, and, unless disabled, the
 * perplexity of the same chunks (llama-imatrix prints it; scored as llama-perplexity does).
 */
public final class ImatrixRun {
    private final ChunkPlan plan;
    private final int bos;
    private final boolean perplexity;
    private final ChunkListener listener;

    /**
     * @param plan       the chunking ({@code -c}, {@code --chunks})
     * @param bos        BOS id put first in every chunk, or -1 when the vocabulary adds none
     * @param perplexity whether to score the chunks ({@code --no-ppl} turns it off)
     * @param listener   progress; receives {@code [k]x.xxxx,} entries when scoring, else {@code [k]}
     */
    public ImatrixRun(ChunkPlan plan, int bos, boolean perplexity, ChunkListener listener) {
        this.plan = Objects.requireNonNull(plan);
        this.bos = bos;
        this.perplexity = perplexity;
        this.listener = Objects.requireNonNull(listener);
    }

    /** Runs every chunk of the plan over {@code tokens} (the whole tokenized text, BOS included). */
    public Optional<PerplexityResult> run(int[] tokens, ActivationSource model, ImatrixCollector collector) {
        PerplexityAccumulator ppl = perplexity ? new PerplexityAccumulator(plan, model.vocabSize()) : null;
        long t0 = System.nanoTime();
        for (int k = 0; k < plan.chunks(); k++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted");
            }
            float[] logits = model.run(plan.input(tokens, k, bos), collector);
            String text = "[" + (k + 1) + "]";
            if (ppl != null) {
                ppl.addChunk(logits, 0, plan.original(tokens, k));
                text = ppl.progressEntry();
            }
            listener.chunkDone(k + 1, plan.chunks(), System.nanoTime() - t0, text);
        }
        return ppl == null ? Optional.empty() : Optional.of(ppl.result());
    }
}
