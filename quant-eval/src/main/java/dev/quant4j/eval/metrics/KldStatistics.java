package dev.quant4j.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The closing statistics of a KL-divergence run, as llama-perplexity computes them (Δp values are probabilities,
 * printed as percentages). {@link #report()} renders llama-perplexity's three blocks line for line.
 *
 * @param tokens              scored tokens
 * @param chunks              chunks evaluated
 * @param perplexity          Mean PPL(Q) ± uncertainty
 * @param basePerplexity      Mean PPL(base) ± uncertainty (from the decoded base log-probabilities)
 * @param correlation         Cor(ln PPL(Q), ln PPL(base)) as a fraction
 * @param logRatio            Mean ln(PPL(Q)/PPL(base))
 * @param ratio               Mean PPL(Q)/PPL(base)
 * @param difference          Mean PPL(Q)-PPL(base)
 * @param kld                 mean KL divergence
 * @param kldQuantiles        its order statistics
 * @param deltaP              mean Δp
 * @param deltaPQuantiles     its order statistics
 * @param rmsDeltaP           RMS Δp
 * @param sameTop             fraction of tokens whose argmax agrees
 */
public record KldStatistics(long tokens, int chunks, Estimate perplexity, Estimate basePerplexity, double correlation,
                            Estimate logRatio, Estimate ratio, Estimate difference, Estimate kld,
                            Quantiles kldQuantiles, Estimate deltaP, Quantiles deltaPQuantiles, Estimate rmsDeltaP,
                            Estimate sameTop) {

    /** llama-perplexity prints the closing blocks only with at least this many scored tokens. */
    public static final int MIN_TOKENS = 100;

    /** The closing blocks exactly as llama-perplexity prints them (empty below {@link #MIN_TOKENS} tokens). */
    public List<String> report() {
        List<String> l = new ArrayList<>();
        if (tokens < MIN_TOKENS) {
            return l;
        }
        l.add("====== Perplexity statistics ======");
        l.add("Mean PPL(Q)                   : " + pm(perplexity, 10, 6));
        l.add("Mean PPL(base)                : " + pm(basePerplexity, 10, 6));
        l.add("Cor(ln(PPL(Q)), ln(PPL(base))): " + CFormat.fixed(100.0 * correlation, 6, 2) + "%");
        l.add("Mean ln(PPL(Q)/PPL(base))     : " + pm(logRatio, 10, 6));
        l.add("Mean PPL(Q)/PPL(base)         : " + pm(ratio, 10, 6));
        l.add("Mean PPL(Q)-PPL(base)         : " + pm(difference, 10, 6));
        l.add("");
        l.add("====== KL divergence statistics ======");
        l.add("Mean    KLD: " + pm(kld, 10, 6));
        Quantiles k = kldQuantiles;
        l.add("Maximum KLD: " + CFormat.fixed(k.maximum(), 10, 6));
        l.add("99.9%   KLD: " + CFormat.fixed(k.p99_9(), 10, 6));
        l.add("99.0%   KLD: " + CFormat.fixed(k.p99(), 10, 6));
        l.add("95.0%   KLD: " + CFormat.fixed(k.p95(), 10, 6));
        l.add("90.0%   KLD: " + CFormat.fixed(k.p90(), 10, 6));
        l.add("Median  KLD: " + CFormat.fixed(k.median(), 10, 6));
        l.add("10.0%   KLD: " + CFormat.fixed(k.p10(), 10, 6));
        l.add(" 5.0%   KLD: " + CFormat.fixed(k.p5(), 10, 6));
        l.add(" 1.0%   KLD: " + CFormat.fixed(k.p1(), 10, 6));
        l.add(" 0.1%   KLD: " + CFormat.fixed(k.p0_1(), 10, 6));
        l.add("Minimum KLD: " + CFormat.fixed(k.minimum(), 10, 6));
        l.add("");
        l.add("====== Token probability statistics ======");
        l.add("Mean    Δp: " + CFormat.fixed(100.0 * deltaP.value(), 6, 3) + " ± "
                + CFormat.fixed(100.0 * deltaP.uncertainty(), 5, 3) + " %");
        Quantiles d = deltaPQuantiles;
        l.add("Maximum Δp: " + percent(d.maximum()));
        l.add("99.9%   Δp: " + percent(d.p99_9()));
        l.add("99.0%   Δp: " + percent(d.p99()));
        l.add("95.0%   Δp: " + percent(d.p95()));
        l.add("90.0%   Δp: " + percent(d.p90()));
        l.add("75.0%   Δp: " + percent(d.p75()));
        l.add("Median  Δp: " + percent(d.median()));
        l.add("25.0%   Δp: " + percent(d.p25()));
        l.add("10.0%   Δp: " + percent(d.p10()));
        l.add(" 5.0%   Δp: " + percent(d.p5()));
        l.add(" 1.0%   Δp: " + percent(d.p1()));
        l.add(" 0.1%   Δp: " + percent(d.p0_1()));
        l.add("Minimum Δp: " + percent(d.minimum()));
        l.add("RMS Δp    : " + CFormat.fixed(100.0 * rmsDeltaP.value(), 6, 3) + " ± "
                + CFormat.fixed(100.0 * rmsDeltaP.uncertainty(), 5, 3) + " %");
        l.add("Same top p: " + CFormat.fixed(100.0 * sameTop.value(), 6, 3) + " ± "
                + CFormat.fixed(100.0 * sameTop.uncertainty(), 5, 3) + " %");
        return l;
    }

    private static String pm(Estimate e, int width, int precision) {
        return CFormat.fixed(e.value(), width, precision) + " ± " + CFormat.fixed(e.uncertainty(), width, precision);
    }

    private static String percent(double fraction) {
        return CFormat.fixed(100.0 * fraction, 6, 3) + "%";
    }
}
