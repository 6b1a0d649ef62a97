package dev.quant4j.eval.metrics;

/**
 * The final perplexity estimate.
 *
 * @param perplexity {@code exp(mean NLL)}
 * @param error      {@code perplexity * sqrt((mean(NLL²) - mean(NLL)²) / (N - 1))}; NaN when the variance is not
 *                   positive (llama-perplexity then prints "Unexpected negative standard deviation of log(prob)")
 * @param meanNll    mean negative log-likelihood (nats)
 * @param tokens     scored tokens N
 * @param chunks     chunks evaluated
 */
public record PerplexityResult(double perplexity, double error, double meanNll, long tokens, int chunks) {
    static PerplexityResult of(double sumNll, double sumNll2, long count, int chunks) {
        double mean = sumNll / count;
        double ppl = Math.exp(mean);
        double var = sumNll2 / count - mean * mean;
        double err = var > 0 ? Math.sqrt(var / (count - 1)) * ppl : Double.NaN;
        return new PerplexityResult(ppl, err, mean, count, chunks);
    }

    /** llama-perplexity's closing line, {@code Final estimate: PPL = 6.8457 +/- 0.74219}, or its complaint. */
    public String finalLine() {
        if (Double.isNaN(error)) {
            return "Unexpected negative standard deviation of log(prob)";
        }
        return "Final estimate: PPL = " + CFormat.fixed(perplexity, 4) + " +/- " + CFormat.fixed(error, 5);
    }
}
