package dev.quant4j.eval.model;

/**
 * Element-wise steps of the forward pass spread over the worker threads. Each element is computed alone, and the
 * pieces start at multiples of {@link #GRAIN} (a multiple of every vector length), so the results are the same
 * bits as one sequential loop, with any number of threads.
 */
final class Elementwise {
    /** Elements per parallel piece. */
    static final int GRAIN = 16384;

    private Elementwise() {
    }

    /** {@code x[i] += y[i]} for {@code i < n}: a residual connection. */
    static void add(Parallel parallel, float[] x, float[] y, int n) {
        parallel.range(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] += y[i];
            }
        });
    }

    /** Adds {@code bias} to each of the {@code rows} rows of {@code x} (rows of {@code bias.length}). */
    static void addRows(Parallel parallel, float[] x, float[] bias, int rows) {
        int width = bias.length;
        parallel.range(rows, Math.max(1, GRAIN / Math.max(1, width)), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int i = 0; i < width; i++) {
                    x[r * width + i] += bias[i];
                }
            }
        });
    }
}
