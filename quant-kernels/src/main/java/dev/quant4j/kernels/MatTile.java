package dev.quant4j.kernels;

/**
 * The inner loop of a batched matrix multiplication: a tile of dequantized weight rows times every token's
 * activation row. {@code w} holds {@code rows} rows of {@code cols} floats, {@code x} holds {@code tokens} rows
 * of {@code cols} floats, and {@code out[outOffset + t * outStride + r] = dot(w row r, x row t)}. The tile is
 * read once per call and reused for all tokens, which is what makes prompt processing matrix x matrix work.
 * {@link #scalar()} is the oracle; {@link #create()} gives the Vector API one when {@link Vectorization#enabled()},
 * which sums in a different order (results agree to float rounding, not bit for bit).
 */
public interface MatTile {
    default void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset, int outStride) {
        multiply(w, rows, cols, x, tokens, out, outOffset, outStride, new float[scratchFloats(rows, cols)]);
    }

    /**
     * {@link #multiply(float[], int, int, float[], int, float[], int, int)} with a caller-owned work buffer from
     * at least {@link #scratchFloats(int, int)} floats, so that repeated calls make no garbage.
     */
    void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset, int outStride,
                  float[] scratch);

    /** The work buffer size {@link #multiply(float[], int, int, float[], int, float[], int, int, float[])} needs. */
    int scratchFloats(int rows, int cols);

    /** {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * Runs the batch and dot-product paths on small data often enough that the JIT compiles them: interpreted, a
     * Vector API loop is ~50x slower, so a model's first matmuls would otherwise run at a crawl while the compiler
     * catches up. Meant for a background thread started when a model is opened. The shapes reach every branch a
     * model's matmuls take — whole and partial token groups, a dot product's vector loop and its tail (136 = 8 x 16
     * + 8 columns; the vector kernel's column blocks all take one branch-free path, so one short block suffices) —
     * and call each inner method often enough (over 600 times) for a normal compile, not only loop (OSR) ones: a
     * branch the warm-up never took is compiled as a trap, and the first model matmul that takes it throws the
     * compiled code away and runs interpreted until it is compiled again. Runs interpreted itself, so it is kept
     * small: one 32-row panel.
     */
    default void warmUp() {
        int rows = 32, cols = 136, tokens = 8;
        float[] w = new float[rows * cols];
        float[] x = new float[tokens * cols];
        java.util.Arrays.fill(w, 0.5f);
        java.util.Arrays.fill(x, 0.25f);
        float[] out = new float[tokens * rows];
        float[] scratch = new float[scratchFloats(rows, cols)];
        for (int i = 0; i < 640; i++) {
            multiply(w, rows, cols, x, tokens, out, 0, rows, scratch);
            if (i % 8 == 0) { // decoding's one-token path: 32 dot products a call
                multiply(w, rows, cols, x, 1, out, 0, rows, scratch);
            }
        }
    }

    /** The fastest available implementation (stateless, thread safe). */
    static MatTile create() {
        return Vectorization.enabled() ? VectorizedMatTile.INSTANCE : ScalarMatTile.INSTANCE;
    }

    /** The plain-loop reference. */
    static MatTile scalar() {
        return ScalarMatTile.INSTANCE;
    }
}
