package dev.quant4j.api.spi;

/**
 * Receives round-trip error sums while a quantizer encodes, so that the error is measured while the rows are
 * still in the core's cache instead of in a second pass over the tensor. Called from worker threads; an
 * implementation shared between threads must be thread safe.
 */
@FunctionalInterface
public interface RoundTripSink {
    /**
     * Adds one batch of rows.
     *
     * @param sumSquaredError sum over the batch of (original - restored)^2
     * @param sumSquares      sum over the batch of original^2
     * @param count           values in the batch
     */
    void add(double sumSquaredError, double sumSquares, long count);

    /**
     * Sums of {@code original[from ..]} against {@code restored[restoredFrom ..]} over {@code n} values, into
     * {@code sink}. Four independent accumulators per sum keep the loop from waiting on one add chain.
     */
    static void compare(float[] original, int from, float[] restored, int restoredFrom, int n, RoundTripSink sink) {
        double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            float a0 = original[from + i], a1 = original[from + i + 1];
            float a2 = original[from + i + 2], a3 = original[from + i + 3];
            double d0 = (double) a0 - restored[restoredFrom + i], d1 = (double) a1 - restored[restoredFrom + i + 1];
            double d2 = (double) a2 - restored[restoredFrom + i + 2], d3 = (double) a3 - restored[restoredFrom + i + 3];
            e0 += d0 * d0;
            e1 += d1 * d1;
            e2 += d2 * d2;
            e3 += d3 * d3;
            s0 += (double) a0 * a0;
            s1 += (double) a1 * a1;
            s2 += (double) a2 * a2;
            s3 += (double) a3 * a3;
        }
        for (; i < n; i++) {
            double d = (double) original[from + i] - restored[restoredFrom + i];
            e0 += d * d;
            s0 += (double) original[from + i] * original[from + i];
        }
        sink.add(e0 + e1 + e2 + e3, s0 + s1 + s2 + s3, n);
    }
}
