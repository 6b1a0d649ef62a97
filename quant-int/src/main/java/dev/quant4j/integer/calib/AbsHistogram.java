package dev.quant4j.integer.calib;

/**
 * Bounded-memory quantiles of |x|: a histogram over the top bits of the float's bit pattern (8 exponent bits and
 * the first {@value #MANTISSA_BITS} mantissa bits, so every bucket spans a relative width of at most 2^-5 for
 * normal values) that also records the largest value seen in each bucket.
 *
 * <p>{@link #quantile} returns the largest value seen in the bucket holding the nearest-rank order statistic:
 * never below the exact quantile, at most 3.2% above it, and exact when that bucket's values are all equal or the
 * order statistic is its largest. 8192 buckets: 96 KiB per tensor, whatever the number of batches.
 */
final class AbsHistogram {
    static final int MANTISSA_BITS = 5;
    private static final int SHIFT = 23 - MANTISSA_BITS;
    private static final int BUCKETS = 1 << (8 + MANTISSA_BITS);

    private final long[] counts = new long[BUCKETS];
    private final float[] bucketMax = new float[BUCKETS];
    private long total;

    /** Adds |v| of a finite {@code v}. */
    void add(float v) {
        float a = Math.abs(v);
        int b = Float.floatToRawIntBits(a) >>> SHIFT;
        counts[b]++;
        if (a > bucketMax[b]) {
            bucketMax[b] = a;
        }
        total++;
    }

    long total() {
        return total;
    }

    /** The nearest-rank {@code p}-quantile of |x| as described above; 0 when nothing was added. */
    float quantile(double p) {
        if (total == 0) {
            return 0f;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return bucketMax[b];
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond " + total + " values");
    }
}
