package dev.quant4j.eval.metrics;

/** A value and its standard uncertainty, as llama-perplexity prints {@code value ± uncertainty}. */
public record Estimate(double value, double uncertainty) {
    /**
     * llama-perplexity's {@code mean_and_uncertainty}: the mean {@code sum/n} and
     * {@code sqrt((sum2/n - mean²) / (n-1))}, the latter 0 unless positive and {@code n > 10}.
     */
    static Estimate meanOf(double sum, double sum2, long count) {
        if (count < 1) {
            return new Estimate(0, 0);
        }
        double f = sum / count;
        double df = sum2 / count - f * f;
        df = df > 0 && count > 10 ? Math.sqrt(df / (count - 1)) : 0;
        return new Estimate(f, df);
    }
}
