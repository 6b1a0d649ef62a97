package dev.quant4j.eval.metrics;

import java.util.Objects;
import java.util.stream.IntStream;

/**
 * llama-perplexity's scoring: for every chunk, positions {@code first .. nCtx-2} predict the next token; the
 * negative log-likelihoods and their squares are summed in double over the whole run. After each chunk the
 * running estimate is {@code exp(mean NLL)}; at the end {@code PPL ± PPL * sqrt((mean(NLL²) - mean(NLL)²)/(N-1))}.
 * Not thread safe: chunks are added in order.
 */
public final class PerplexityAccumulator {
    private final ChunkPlan plan;
    private final int nVocab;
    private double nll;
    private double nll2;
    private long count;
    private int chunks;

    public PerplexityAccumulator(ChunkPlan plan, int nVocab) {
        this.plan = Objects.requireNonNull(plan);
        if (nVocab < 1) {
            throw new IllegalArgumentException("vocabulary of " + nVocab + " tokens");
        }
        this.nVocab = nVocab;
    }

    /**
     * Scores one chunk.
     *
     * @param logits      rows {@code firstRow ..} of the chunk's logits, row-major, {@code nVocab} per row; rows
     *                    {@code first() .. nCtx-2} must be present
     * @param firstRow    the chunk position of {@code logits}' first row (0 for all-position logits)
     * @param chunkTokens the chunk's original tokens ({@code nCtx} of them): position j is scored against token j+1
     */
    public void addChunk(float[] logits, int firstRow, int[] chunkTokens) {
        addChunk(logits, 0, firstRow, chunkTokens);
    }

    /** {@link #addChunk(float[], int, int[])} with the logits' first row at {@code logits[offset]}. */
    public void addChunk(float[] logits, int offset, int firstRow, int[] chunkTokens) {
        checkChunk(plan, nVocab, logits, offset, firstRow, chunkTokens);
        int first = plan.first();
        double[] nlls = new double[plan.scoredPerChunk()];
        // rows in parallel, summed in row order: the same bits as a sequential loop
        IntStream.range(0, nlls.length).parallel().forEach(r ->
                nlls[r] = LogSoftmax.nll(logits, offset + (first + r - firstRow) * nVocab, nVocab, chunkTokens[first + r + 1]));
        for (double v : nlls) {
            add(v);
        }
        chunks++;
    }

    /** Adds a chunk whose NLLs were computed elsewhere (the base-file writer computes them in float, as llama.cpp does). */
    public void addChunkNlls(double[] nlls) {
        if (nlls.length != plan.scoredPerChunk()) {
            throw new IllegalArgumentException(nlls.length + " NLLs for a chunk that scores " + plan.scoredPerChunk());
        }
        for (double v : nlls) {
            add(v);
        }
        chunks++;
    }

    private void add(double v) {
        nll += v;
        nll2 += v * v;
        count++;
    }

    static void checkChunk(ChunkPlan plan, int nVocab, float[] logits, int offset, int firstRow, int[] chunkTokens) {
        if (chunkTokens.length != plan.nCtx()) {
            throw new IllegalArgumentException(chunkTokens.length + " tokens in a chunk of " + plan.nCtx());
        }
        if (firstRow < 0 || firstRow > plan.first()) {
            throw new IllegalArgumentException("logits start at row " + firstRow + ", scoring starts at " + plan.first());
        }
        long need = (long) (plan.nCtx() - 1 - firstRow) * nVocab;
        if (logits.length - (long) offset < need) {
            throw new IllegalArgumentException((logits.length - offset) + " logits for rows " + firstRow + ".." + (plan.nCtx() - 2)
                    + " of " + nVocab + " values (" + need + " needed)");
        }
        for (int j = plan.first() + 1; j < plan.nCtx(); j++) {
            if (chunkTokens[j] < 0 || chunkTokens[j] >= nVocab) {
                throw new IllegalArgumentException("token " + chunkTokens[j] + " at position " + j
                        + " is outside the vocabulary of " + nVocab);
            }
        }
    }

    public int chunks() {
        return chunks;
    }

    public long count() {
        return count;
    }

    /** {@code exp(mean NLL)} over every token scored so far. */
    public double runningPerplexity() {
        return Math.exp(nll / count);
    }

    /** llama-perplexity's progress entry after the latest chunk: {@code [k]x.xxxx,}. */
    public String progressEntry() {
        return "[" + chunks + "]" + CFormat.fixed(runningPerplexity(), 4) + ",";
    }

    /** The running sums, for a checkpoint. */
    public State state() {
        return new State(nll, nll2, count, chunks);
    }

    /** Continues from a checkpoint's sums (the same chunks then give the same bits as an uninterrupted run). */
    public void restore(State s) {
        nll = s.sumNll();
        nll2 = s.sumNll2();
        count = s.count();
        chunks = s.chunks();
    }

    /** The running sums: NLL and NLL² in double, tokens and chunks scored. */
    public record State(double sumNll, double sumNll2, long count, int chunks) {
        public static final State EMPTY = new State(0, 0, 0, 0);
    }

    public PerplexityResult result() {
        return PerplexityResult.of(nll, nll2, count, chunks);
    }
}
