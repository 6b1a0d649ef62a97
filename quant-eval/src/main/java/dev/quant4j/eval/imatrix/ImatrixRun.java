package dev.quant4j.eval.imatrix;

import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.LogitsSource;
import dev.quant4j.eval.metrics.PerplexityAccumulator;
import dev.quant4j.eval.metrics.PerplexityResult;
import java.util.ArrayList;
import java.util.List;
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

    /** Called after chunks are collected, to save a checkpoint of the run. */
    @FunctionalInterface
    public interface Checkpointer {
        /**
         * @param chunksDone chunks collected so far (the imatrix holds exactly their statistics)
         * @param perplexity the perplexity sums so far ({@link PerplexityAccumulator.State#EMPTY} with --no-ppl)
         */
        void save(int chunksDone, PerplexityAccumulator.State perplexity) throws java.io.IOException;
    }

    /** Runs every chunk of the plan over {@code tokens} (the whole tokenized text, BOS included). */
    public Optional<PerplexityResult> run(int[] tokens, ActivationSource model, ImatrixCollector collector) {
        try {
            return run(tokens, model, collector, 0, PerplexityAccumulator.State.EMPTY, 0, null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no checkpoint is written", e);
        }
    }

    /**
     * Runs chunks {@code fromChunk ..} (a resumed run starts after the checkpoint's chunks, with the collector's
     * imatrix and {@code ppl} restored from it), calling {@code checkpointer} every {@code every} chunks when both
     * are set. The result equals an uninterrupted run's bit for bit. The model gets its chunks in passes of
     * {@link ActivationSource#sequencesPerCall} chunks, never past the next checkpoint (a layer-streaming model: all
     * remaining chunks, or the chunks up to the next checkpoint, each pass reading the model once; else a batch of
     * chunks that share each weight decode); the statistics are those of a chunk-by-chunk run.
     */
    public Optional<PerplexityResult> run(int[] tokens, ActivationSource model, ImatrixCollector collector, int fromChunk,
                                          PerplexityAccumulator.State ppl0, int every, Checkpointer checkpointer)
            throws java.io.IOException {
        PerplexityAccumulator ppl = perplexity ? new PerplexityAccumulator(plan, model.vocabSize()) : null;
        if (ppl != null) {
            ppl.restore(ppl0);
        }
        boolean checkpoints = checkpointer != null && every > 0;
        int pass = Math.max(1, model.sequencesPerCall(plan.nCtx(), plan.chunks()));
        // logits only where needed: all rows for output.weight's statistics, the scored half for perplexity
        int firstRow = collector.collectsOutput() ? 0 : ppl != null ? plan.first() : plan.nCtx();
        long t0 = System.nanoTime();
        for (int k = fromChunk; k < plan.chunks(); ) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted");
            }
            // a pass never runs past the next checkpoint, so a resumed run cuts its passes as an uninterrupted one
            int end = Math.min(plan.chunks(), k + pass);
            if (checkpoints) {
                end = Math.min(end, (k / every + 1) * every);
            }
            List<int[]> inputs = new ArrayList<>(end - k);
            for (int c = k; c < end; c++) {
                inputs.add(plan.input(tokens, c, bos));
            }
            int first = k;
            // scored where the model put the logits (no copy per chunk)
            model.run(inputs, firstRow, collector, LogitsSource.ChunkLogits.inPlace((i, logits, offset) -> {
                int c = first + i;
                String text = "[" + (c + 1) + "]";
                if (ppl != null) {
                    ppl.addChunk(logits, offset, firstRow, plan.original(tokens, c));
                    text = ppl.progressEntry();
                }
                listener.chunkDone(c + 1, plan.chunks(), System.nanoTime() - t0, text);
            }));
            k = end;
            if (checkpoints && k % every == 0 && k < plan.chunks()) {
                checkpointer.save(k, ppl == null ? PerplexityAccumulator.State.EMPTY : ppl.state());
            }
        }
        return ppl == null ? Optional.empty() : Optional.of(ppl.result());
    }
}
