package dev.quant4j.integer.calib;

/**
 * Range statistics of one tensor's activations over every batch observed.
 *
 * @param count              values observed
 * @param min                smallest value
 * @param max                largest value
 * @param mean               mean (accumulated in double)
 * @param stdDev             population standard deviation (divides by {@code count})
 * @param p                  the quantile reported in {@code absQuantile} (0.99 unless the percentile method was
 *                           given another)
 * @param absQuantile        the nearest-rank {@code p}-quantile of |x|, from a bounded-memory histogram: never
 *                           below the exact value, at most 3.2% above it (see {@code AbsHistogram})
 * @param suggestedInt8Scale {@code clip / 127}, where clip is max |x| (minmax) or {@code absQuantile}
 *                           (percentile); 0 when every value observed was 0
 */
public record CalibStats(long count, float min, float max, double mean, double stdDev, double p, float absQuantile,
                         float suggestedInt8Scale) {
    public CalibStats {
        if (count <= 0) {
            throw new IllegalArgumentException("statistics need at least one value, got " + count);
        }
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in (0, 1], got " + p);
        }
    }

    /** max |x|. */
    public float maxAbs() {
        return Math.max(Math.abs(min), Math.abs(max));
    }
}
