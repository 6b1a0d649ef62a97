package dev.quant4j.engine;

/** Accumulates squared error and squared signal of round trips; safe to feed from several threads. */
final class ErrorMeter {
    private double sumSquaredError;
    private double sumSquares;
    private long count;

    synchronized void add(float[] original, float[] restored, int n) {
        double e = 0;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) original[i] - restored[i];
            e += d * d;
            s += (double) original[i] * original[i];
        }
        sumSquaredError += e;
        sumSquares += s;
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
