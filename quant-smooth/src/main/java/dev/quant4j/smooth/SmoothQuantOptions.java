package dev.quant4j.smooth;

/**
 * Options of {@code smoothquant}.
 *
 * @param alpha migration strength in [0, 1]: 0 leaves activations alone (s from weights only), 1 moves all
 *              of an outlier channel's range into the weights
 */
public record SmoothQuantOptions(double alpha) {
    public SmoothQuantOptions {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
    }

    public static SmoothQuantOptions defaults() {
        return new SmoothQuantOptions(0.5);
    }
}
