package dev.quant4j.eval.model;

/** A block's feed-forward network: adds its output for the normed input {@code h} ({@code n} rows) to {@code x}. */
sealed interface FeedForward permits DenseFeedForward, MixtureOfExperts {
    void forward(float[] h, int n, MatMul mm, ActivationObserver obs, float[] x);

    /** SwiGLU's gate: {@code silu(g) * u} in place into {@code g}, silu(v) = v / (1 + e^-v). */
    static void swiglu(float[] g, float[] u, int count) {
        for (int i = 0; i < count; i++) {
            float v = g[i];
            g[i] = v / (1f + (float) Math.exp(-v)) * u[i];
        }
    }
}
