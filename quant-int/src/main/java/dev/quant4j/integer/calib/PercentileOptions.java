package dev.quant4j.integer.calib;

/** Options of the {@code percentile} calibrator: {@code p}, the quantile of |x| the scale clips to, in (0, 1]. */
public record PercentileOptions(double p) {
    public PercentileOptions {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in (0, 1], got " + p);
        }
    }

    public static PercentileOptions defaults() {
        return new PercentileOptions(0.99);
    }
}
