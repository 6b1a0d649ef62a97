package dev.quant4j.kernels.gptq;

/**
 * Accumulates {@code Σ x xᵀ} over input rows in double (upper triangle, four rows per pass so each accumulator
 * is loaded once per four products) and finishes into GPTQ's {@code H = (2/n) Σ x xᵀ}.
 */
public final class HessianAccumulator {
    private final int cols;
    private final double[] sum;
    private long samples;

    public HessianAccumulator(int cols) {
        if (cols < 1) {
            throw new IllegalArgumentException("cols must be positive, got " + cols);
        }
        this.cols = cols;
        this.sum = new double[Math.multiplyExact(cols, cols)];
    }

    public int columns() {
        return cols;
    }

    public long samples() {
        return samples;
    }

    /** Adds {@code tokens} rows of {@code cols} floats from {@code x[0 ..]}. */
    public void add(float[] x, int tokens) {
        if (x.length < (long) tokens * cols) {
            throw new IllegalArgumentException(x.length + " values for " + tokens + " rows of " + cols);
        }
        int t = 0;
        for (; t + 4 <= tokens; t += 4) {
            int a = t * cols;
            int b = a + cols;
            int c = b + cols;
            int d = c + cols;
            for (int i = 0; i < cols; i++) {
                double ai = x[a + i];
                double bi = x[b + i];
                double ci = x[c + i];
                double di = x[d + i];
                int row = i * cols;
                for (int j = i; j < cols; j++) {
                    sum[row + j] += ai * x[a + j] + bi * x[b + j] + ci * x[c + j] + di * x[d + j];
                }
            }
        }
        for (; t < tokens; t++) {
            int a = t * cols;
            for (int i = 0; i < cols; i++) {
                double ai = x[a + i];
                if (ai == 0) {
                    continue;
                }
                int row = i * cols;
                for (int j = i; j < cols; j++) {
                    sum[row + j] += ai * x[a + j];
                }
            }
        }
        samples += tokens;
    }

    /** {@code (2/n) Σ x xᵀ}, full and symmetric; all zeros before any sample. */
    public double[] hessian() {
        double[] h = new double[sum.length];
        double f = samples == 0 ? 0 : 2.0 / samples;
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                double v = f * sum[i * cols + j];
                h[i * cols + j] = v;
                h[j * cols + i] = v;
            }
        }
        return h;
    }
}
