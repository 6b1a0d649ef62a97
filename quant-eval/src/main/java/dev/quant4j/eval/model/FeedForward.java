package dev.quant4j.eval.model;

/** A block's feed-forward network: adds its output for the normed input {@code h} ({@code n} rows) to {@code x}. */
sealed interface FeedForward permits DenseFeedForward, MixtureOfExperts {
    void forward(float[] h, int n, MatMul mm, ActivationObserver obs, float[] x);

    /** {@link #forward(float[], int, MatMul, ActivationObserver, float[])} that may take its arrays from {@code buf}. */
    default void forward(float[] h, int n, MatMul mm, ActivationObserver obs, float[] x, BatchBuffers buf) {
        forward(h, n, mm, obs, x);
    }

}
