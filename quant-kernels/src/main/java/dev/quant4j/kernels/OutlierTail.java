package dev.quant4j.kernels;

/**
 * The upper tail of a stream of non-negative scores too large to sort (every weight of a model): a histogram of
 * log2(score) in 1/64-octave bins from 2^-64 to 2^64, from which a quantile is read to within 1.1 %
 * (the width of a bin). Used by data-free super-weight detection: scores {@code |w_ij|·√imatrix_j}, tail
 * quantile 0.9999 (the top 0.01 %). Not thread safe; merge per-thread instances with {@link #add(OutlierTail)}.
 */
public final class OutlierTail {
    private static final int PER_OCTAVE = 64;
    private static final int MIN_EXP = -64;
    private static final int BINS = 128 * PER_OCTAVE;

    private final long[] counts = new long[BINS + 2]; // [0]: zero and below range, [BINS + 1]: above range
    private long total;

    public void add(double score) {
        counts[bin(score)]++;
        total++;
    }

    public void add(OutlierTail other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    public long count() {
        return total;
    }

    /** The smallest bin bound {@code t} with at least fraction {@code q} of the scores at or below it. */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long need = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= need) {
                return upperBound(i);
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static int bin(double s) {
        if (!(s > 0)) {
            return 0;
        }
        double pos = (Math.log(s) / Math.log(2) - MIN_EXP) * PER_OCTAVE;
        if (pos < 0) {
            return 0;
        }
        if (pos >= BINS) {
            return BINS + 1;
        }
        return 1 + (int) pos;
    }

    private static double upperBound(int bin) {
        if (bin == 0) {
            return Math.pow(2, MIN_EXP);
        }
        if (bin == BINS + 1) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.pow(2, MIN_EXP + (double) bin / PER_OCTAVE);
    }
}
