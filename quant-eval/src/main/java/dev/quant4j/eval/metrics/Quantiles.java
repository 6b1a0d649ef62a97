package dev.quant4j.eval.metrics;

import java.util.Arrays;

/**
 * The order statistics llama-perplexity prints, computed as it does on the sorted float values: the median is
 * the middle value (or the float mean of the two middle ones); percentile f is the float linear interpolation at
 * {@code p = f * (n - 1)} between elements {@code floor(p)} and {@code floor(p) + 1}.
 */
public record Quantiles(double maximum, double p99_9, double p99, double p95, double p90, double p75, double median,
                        double p25, double p10, double p5, double p1, double p0_1, double minimum) {

    /** From unsorted values (the array is sorted in place). */
    static Quantiles of(float[] values, int n) {
        if (n < 1) {
            return new Quantiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        Arrays.sort(values, 0, n);
        float median = n % 2 == 0 ? 0.5f * (values[n / 2] + values[n / 2 - 1]) : values[n / 2];
        return new Quantiles(values[n - 1], percentile(values, n, 0.999f), percentile(values, n, 0.990f),
                percentile(values, n, 0.950f), percentile(values, n, 0.900f), percentile(values, n, 0.750f), median,
                percentile(values, n, 0.250f), percentile(values, n, 0.100f), percentile(values, n, 0.050f),
                percentile(values, n, 0.010f), percentile(values, n, 0.001f), values[0]);
    }

    /** perplexity.cpp's {@code percentile} lambda, float arithmetic included. */
    static float percentile(float[] sorted, int n, float fraction) {
        if (fraction <= 0) {
            return sorted[0];
        }
        if (fraction >= 1) {
            return sorted[n - 1];
        }
        float p = fraction * (float) (n - 1);
        int ip = (int) p;
        p -= ip;
        return (1 - p) * sorted[ip] + p * sorted[Math.min(ip + 1, n - 1)];
    }
}
