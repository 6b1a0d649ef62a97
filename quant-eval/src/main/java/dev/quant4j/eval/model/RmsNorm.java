package dev.quant4j.eval.model;

/** RMSNorm as ggml computes it: the mean square summed in double, then {@code (x * scale) * weight} in float. */
final class RmsNorm {
    /** Rows per parallel piece: enough work to outweigh handing it to another thread. */
    private static final int GRAIN_ROWS = 32;

    private RmsNorm() {
    }

    /** Normalises {@code rows} rows of {@code width} from {@code x} into {@code out} (may be the same array). */
    static void apply(float[] x, int rows, int width, float[] weight, float eps, float[] out) {
        for (int r = 0; r < rows; r++) {
            row(x, r * width, width, weight, eps, out, r * width);
        }
    }

    /** {@link #apply} with the rows shared among {@code parallel}'s threads (each row alone: the same bits). */
    static void apply(Parallel parallel, float[] x, int rows, int width, float[] weight, float eps, float[] out) {
        parallel.range(rows, GRAIN_ROWS, (from, to) -> {
            for (int r = from; r < to; r++) {
                row(x, r * width, width, weight, eps, out, r * width);
            }
        });
    }

    /**
     * {@code x += y} (a residual connection), then {@code x}'s rows normalised into {@code out}, row by row in one
     * parallel pass: the additions and the norms are those of the two steps apart, so the same bits.
     */
    static void addThenApply(Parallel parallel, float[] x, float[] y, int rows, int width, float[] weight, float eps,
                             float[] out) {
        parallel.range(rows, GRAIN_ROWS, (from, to) -> {
            for (int i = from * width; i < to * width; i++) {
                x[i] += y[i];
            }
            for (int r = from; r < to; r++) {
                row(x, r * width, width, weight, eps, out, r * width);
            }
        });
    }

    /** Normalises the {@code width} values at {@code x[at ..]} into {@code out[outAt ..]}. */
    static void row(float[] x, int at, int width, float[] weight, float eps, float[] out, int outAt) {
        double sum = 0;
        for (int i = 0; i < width; i++) {
            sum += (double) (x[at + i] * x[at + i]);
        }
        float mean = (float) (sum / width);
        float scale = (float) (1.0 / Math.sqrt(mean + eps));
        for (int i = 0; i < width; i++) {
            out[outAt + i] = (x[at + i] * scale) * weight[i];
        }
    }
}
