package dev.quant4j.smooth;

/**
 * Options of {@code smoothquant}.
 *
 * @param alpha  migration strength in [0, 1]: 0 leaves activations alone (s from weights only), 1 moves all
 *               of an outlier channel's range into the weights
 * @param search 0: use {@code alpha} everywhere; n &gt; 0: per group of linears, try α = 0, 1/n, …, 1 and no
 *               scaling at all, and keep what gives the least quantized output error on the calibration data
 *               with the quantizer each weight will get (needs the target type, like awq)
 * @param output also scale {@code output.weight} (1/s into {@code output_norm}; a tied head is untied)
 */
public record SmoothQuantOptions(double alpha, int search, boolean output) {
    public SmoothQuantOptions {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (search < 0 || search > 1000) {
            throw new IllegalArgumentException("search must be in [0, 1000], got " + search);
        }
    }

    public static SmoothQuantOptions defaults() {
        return new SmoothQuantOptions(0.5, 0, false);
    }
}
