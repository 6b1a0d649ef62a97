package dev.quant4j.eval.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * llama-perplexity's {@code --kl-divergence} statistics of a candidate model against a base file, token by token in
 * llama.cpp's precisions (perplexity.cpp, {@code log_softmax} with a {@code kl_divergence_result}). For each scored
 * token: the candidate's NLL (float), the base's NLL from the decoded base row, the KL divergence
 * {@code sum_i p_base,i (log p_base,i - log q_i)} over the entries whose decoded base log-probability exceeds -16,
 * whether the two argmaxes agree (first index of the maximum, for the base the maximum decoded value), and
 * {@code Δp = q(token) - p_base(token)}. Sums are in double; the per-token KLD and Δp values are kept (as floats, 8
 * bytes per token) for the percentiles. Rows of a chunk are computed in parallel and summed in order, so results do
 * not depend on the thread count. Not thread safe: chunks are added in order.
 */
public final class KldAccumulator {
    /** The per-chunk table header llama-perplexity prints before the first chunk. */
    public static final String TABLE_HEADER = "chunk             PPL               ln(PPL(Q)/PPL(base))"
            + "          KL Divergence              Δp RMS            Same top p";

    private final ChunkPlan plan;
    private final int nVocab;
    private double sumNll;
    private double sumNll2;
    private double sumNllBase;
    private double sumNllBase2;
    private double sumNllNllBase;
    private double sumKld;
    private double sumKld2;
    private double sumPDiff;
    private double sumPDiff2;
    private double sumPDiff4;
    private long sameTop;
    private long count;
    private int chunks;
    private float[] kldValues = new float[1024];
    private float[] pDiffValues = new float[1024];

    public KldAccumulator(ChunkPlan plan, int nVocab) {
        this.plan = Objects.requireNonNull(plan);
        if (nVocab < 1) {
            throw new IllegalArgumentException("vocabulary of " + nVocab + " tokens");
        }
        this.nVocab = nVocab;
    }

    /** An accumulator holding the given perplexity sums (tests reconstruct llama.cpp's sums from its printed numbers). */
    static KldAccumulator withSums(ChunkPlan plan, int nVocab, double sumNll, double sumNll2, double sumNllBase,
                                   double sumNllBase2, double sumNllNllBase, long count) {
        KldAccumulator a = new KldAccumulator(plan, nVocab);
        a.sumNll = sumNll;
        a.sumNll2 = sumNll2;
        a.sumNllBase = sumNllBase;
        a.sumNllBase2 = sumNllBase2;
        a.sumNllNllBase = sumNllNllBase;
        a.count = count;
        a.kldValues = new float[(int) count];
        a.pDiffValues = new float[(int) count];
        return a;
    }

    /**
     * Scores one chunk of the candidate against the base.
     *
     * @param logits      rows {@code firstRow ..} of the candidate's logits for the chunk
     * @param firstRow    chunk position of the first row
     * @param chunkTokens the chunk's original tokens
     * @param base        the base file's rows for this chunk
     */
    public void addChunk(float[] logits, int firstRow, int[] chunkTokens, BaseChunk base) {
        addChunk(logits, 0, firstRow, chunkTokens, base);
    }

    /** {@link #addChunk(float[], int, int[], BaseChunk)} with the logits' first row at {@code logits[offset]}. */
    public void addChunk(float[] logits, int offset, int firstRow, int[] chunkTokens, BaseChunk base) {
        PerplexityAccumulator.checkChunk(plan, nVocab, logits, offset, firstRow, chunkTokens);
        if (base.rows() != plan.scoredPerChunk()) {
            throw new IllegalArgumentException("base chunk of " + base.rows() + " rows, " + plan.scoredPerChunk() + " scored");
        }
        int first = plan.first();
        TokenResult[] results = new TokenResult[plan.scoredPerChunk()];
        // rows are independent: computed in parallel, then summed in row order (the same bits as sequentially)
        IntStream.range(0, results.length).parallel().forEach(r ->
                results[r] = token(logits, offset + (first + r - firstRow) * nVocab, chunkTokens[first + r + 1], base, r));
        for (TokenResult t : results) {
            accumulate(t);
        }
        chunks++;
    }

    /** One scored token's values, in llama.cpp's precisions. */
    private record TokenResult(float nll, float nllBase, double kld, boolean sameTop, float pDiff) {
    }

    private TokenResult token(float[] logits, int off, int tok, BaseChunk base, int row) {
        float max = logits[off];
        int imax = 0;
        for (int i = 1; i < nVocab; i++) {
            if (logits[off + i] > max) {
                max = logits[off + i];
                imax = i;
            }
        }
        float logSumExp = (float) Math.log(LogSoftmax.sumExp(logits, off, nVocab, max));
        float scale = base.scale(row);
        float minLogProb = base.minLogProb(row);
        float nll = max + logSumExp - logits[off + tok];
        float nllBase = -CompressedLogProbs.decode(scale, minLogProb, base.code(row, tok));
        float logNorm = max + logSumExp;
        double kld = 0;
        int imaxBase = -1;
        float baseMax = 0;
        for (int i = 0; i < nVocab; i++) {
            float pLogBase = CompressedLogProbs.decode(scale, minLogProb, base.code(row, i));
            if (i == 0 || pLogBase > baseMax) {
                baseMax = pLogBase;
                imaxBase = i;
            }
            if (pLogBase > -16f) {
                float pBase = LogSoftmax.expf(pLogBase);
                kld += pBase * (pLogBase - logits[off + i] + logNorm);
            }
        }
        float pDiff = LogSoftmax.expf(-nll) - LogSoftmax.expf(-nllBase);
        return new TokenResult(nll, nllBase, kld, imax == imaxBase, pDiff);
    }

    private void accumulate(TokenResult t) {
        float nll = t.nll();
        float nllBase = t.nllBase();
        sumNll += nll;
        sumNll2 += nll * nll;
        sumNllBase += nllBase;
        sumNllBase2 += nllBase * nllBase;
        sumNllNllBase += nll * nllBase;
        sumKld += t.kld();
        sumKld2 += t.kld() * t.kld();
        if (t.sameTop()) {
            sameTop++;
        }
        float pDiff = t.pDiff();
        sumPDiff += pDiff;
        double pDiff2 = pDiff * pDiff;
        sumPDiff2 += pDiff2;
        sumPDiff4 += pDiff2 * pDiff2;
        if (count == kldValues.length) {
            kldValues = Arrays.copyOf(kldValues, Math.multiplyExact(kldValues.length, 2));
            pDiffValues = Arrays.copyOf(pDiffValues, kldValues.length);
        }
        kldValues[(int) count] = (float) t.kld();
        pDiffValues[(int) count] = pDiff;
        count++;
    }

    public long count() {
        return count;
    }

    public int chunks() {
        return chunks;
    }

    /** The running-statistics row llama-perplexity prints after chunk {@link #chunks()}. */
    public String chunkLine() {
        Running r = running();
        return CFormat.integer(chunks, 4)
                + "    " + CFormat.fixed(r.ppl.value(), 9, 4) + " ± " + CFormat.fixed(r.ppl.uncertainty(), 9, 4)
                + "    " + CFormat.fixed(r.lnRatio.value(), 10, 5) + " ± " + CFormat.fixed(r.lnRatio.uncertainty(), 10, 5)
                + "    " + CFormat.fixed(r.kld.value(), 10, 5) + " ± " + CFormat.fixed(r.kld.uncertainty(), 10, 5)
                + "    " + CFormat.fixed(100 * r.rms.value(), 6, 3) + " ± " + CFormat.fixed(100 * r.rms.uncertainty(), 6, 3)
                + " %"
                + "    " + CFormat.fixed(100 * r.top.value(), 6, 3) + " ± " + CFormat.fixed(100 * r.top.uncertainty(), 6, 3)
                + " %";
    }

    private record Running(Estimate ppl, Estimate lnRatio, Estimate kld, Estimate rms, Estimate top) {
    }

    private Running running() {
        Estimate logPpl = Estimate.meanOf(sumNll, sumNll2, count);
        double ppl = Math.exp(logPpl.value());
        Estimate logBase = Estimate.meanOf(sumNllBase, sumNllBase2, count);
        double cov = covariance(sumNll, sumNllBase, sumNllNllBase, count);
        Estimate lnRatio = new Estimate(logPpl.value() - logBase.value(), Math.sqrt(logPpl.uncertainty()
                * logPpl.uncertainty() + logBase.uncertainty() * logBase.uncertainty() - 2.0 * cov));
        Estimate mse = Estimate.meanOf(sumPDiff2, sumPDiff4, count);
        double rms = Math.sqrt(mse.value());
        double top = 1.0 * sameTop / count;
        return new Running(new Estimate(ppl, ppl * logPpl.uncertainty()), lnRatio,
                Estimate.meanOf(sumKld, sumKld2, count), new Estimate(rms, 0.5 / rms * mse.uncertainty()),
                new Estimate(top, Math.sqrt(top * (1 - top) / (count - 1))));
    }

    /** llama-perplexity's {@code covariance}: 0 below 10 values. */
    static double covariance(double sumA, double sumB, double sumAb, long count) {
        if (count < 10) {
            return 0.0;
        }
        double var = sumAb / count - (sumA / count) * (sumB / count);
        return var / (count - 1);
    }

    /** The closing statistics (sorts a copy of the per-token values). */
    public KldStatistics statistics() {
        Running r = running();
        Estimate logPpl = Estimate.meanOf(sumNll, sumNll2, count);
        Estimate logBase = Estimate.meanOf(sumNllBase, sumNllBase2, count);
        double pplBase = Math.exp(logBase.value());
        double cov = covariance(sumNll, sumNllBase, sumNllNllBase, count);
        double cor = cov / (logPpl.uncertainty() * logBase.uncertainty());
        double ratio = Math.exp(r.lnRatio.value());
        double pplUnc = r.ppl.uncertainty();
        double baseUnc = pplBase * logBase.uncertainty();
        double pplCov = r.ppl.value() * pplBase * cov;
        Estimate diff = new Estimate(r.ppl.value() - pplBase,
                Math.sqrt(pplUnc * pplUnc + baseUnc * baseUnc - 2.0 * pplCov));
        int n = (int) count;
        return new KldStatistics(count, chunks, r.ppl, new Estimate(pplBase, baseUnc), cor, r.lnRatio,
                new Estimate(ratio, ratio * r.lnRatio.uncertainty()), diff, r.kld,
                Quantiles.of(Arrays.copyOf(kldValues, n), n), Estimate.meanOf(sumPDiff, sumPDiff2, count),
                Quantiles.of(Arrays.copyOf(pDiffValues, n), n), r.rms, r.top);
    }
}
