package dev.quant4j.eval.model;

import dev.quant4j.kernels.MatTile;

/**
 * {@code out[t][r] = W[r] · x[t]} for a batch of tokens: the weight rows are split into tiles, each tile is
 * decoded once into a small buffer and multiplied with every token's row (quant-kernels' {@link MatTile}),
 * tiles run in parallel. The observer sees the input before the product and
 * the product after it.
 */
final class MatMul {
    /** About 128 KB of decoded weights per tile (at least 32 rows): stays in L2 while every token streams past. */
    private static final int TILE_FLOATS = 32 * 1024;

    private final Parallel parallel;
    private final MatTile kernel;
    private final boolean f16Activations;

    MatMul(Parallel parallel, MatTile kernel, boolean f16Activations) {
        this.parallel = parallel;
        this.kernel = kernel;
        this.f16Activations = f16Activations;
    }

    MatTile kernel() {
        return kernel;
    }

    Parallel parallel() {
        return parallel;
    }

    /**
     * {@code x} holds {@code tokens} rows of {@code w.cols()}; {@code out} receives {@code tokens} rows of
     * {@code w.rows()}. The observer is called on the caller's thread.
     */
    void apply(Matrix w, float[] x, int tokens, float[] out, ActivationObserver observer) {
        int cols = w.cols();
        int rows = w.rows();
        observer.observe(w.name(), w.expert(), x, tokens, cols);
        float[] in = f16Activations ? ActivationRounding.forWeight(w.type(), x, tokens * cols, cols) : x;
        int tileRows = Math.max(32, TILE_FLOATS / cols / 32 * 32);
        int tiles = (rows + tileRows - 1) / tileRows;
        parallel.forEach(tiles, () -> new float[tileRows * cols], (tile, buf) -> {
            int first = tile * tileRows;
            int n = Math.min(tileRows, rows - first);
            w.read(first, n, buf);
            kernel.multiply(buf, n, cols, in, tokens, out, first, rows);
        });
        observer.produced(w.name(), w.expert(), out, tokens, rows);
    }

    static float[] roundToF16(float[] x, int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
        }
        return r;
    }
}
