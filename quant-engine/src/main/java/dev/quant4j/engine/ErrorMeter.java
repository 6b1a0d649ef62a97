package dev.quant4j.engine;

import dev.quant4j.api.spi.RoundTripSink;

/** Accumulates squared error and squared signal of round trips; safe to feed from several threads. */
final class ErrorMeter implements RoundTripSink {
    private double sumSquaredError;
    private double sumSquares;
    private long count;

    @Override
    public synchronized void add(double squaredError, double squares, long n) {
        sumSquaredError += squaredError;
        sumSquares += squares;
        count += n;
    }

    synchronized double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSquaredError / count);
    }

    synchronized double relativeRmse() {
        if (count == 0) {
            return Double.NaN;
        }
        return sumSquares == 0 ? (sumSquaredError == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(sumSquaredError / sumSquares);
    }
}
