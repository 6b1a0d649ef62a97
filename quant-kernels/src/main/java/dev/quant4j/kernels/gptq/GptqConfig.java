package dev.quant4j.kernels.gptq;

/**
 * GPTQ's knobs.
 *
 * @param dampening fraction of the mean Hessian diagonal added to the diagonal (the reference's percdamp, 0.01)
 * @param lazyBatch columns whose updates are applied together before the rank-k update of the rest (128);
 *                  rounded up to a whole number of quantizer blocks
 * @param actOrder  process blocks in decreasing order of their Hessian diagonal mass (static groups: a block's
 *                  columns stay together because ggml stores them together)
 */
public record GptqConfig(double dampening, int lazyBatch, boolean actOrder) {
    public GptqConfig {
        if (!(dampening >= 0) || !Double.isFinite(dampening)) {
            throw new IllegalArgumentException("dampening must be finite and >= 0, got " + dampening);
        }
        if (lazyBatch < 1) {
            throw new IllegalArgumentException("lazyBatch must be at least 1, got " + lazyBatch);
        }
    }

    public static GptqConfig defaults() {
        return new GptqConfig(0.01, 128, false);
    }
}
