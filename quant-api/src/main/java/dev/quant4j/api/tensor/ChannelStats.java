package dev.quant4j.api.tensor;

import java.util.Objects;

/**
 * Per-input-channel statistics of the activations entering one dense weight.
 *
 * @param tensor      the weight's name
 * @param count       activation rows observed
 * @param absMax      max |x_j| per column (the weight's row length)
 * @param meanSquares mean x_j² per column
 */
public record ChannelStats(String tensor, long count, float[] absMax, float[] meanSquares) {
    public ChannelStats {
        Objects.requireNonNull(tensor);
        if (absMax.length != meanSquares.length) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + absMax.length + " maxima, "
                    + meanSquares.length + " mean squares");
        }
        absMax = absMax.clone();
        meanSquares = meanSquares.clone();
    }

    public int columns() {
        return absMax.length;
    }

    @Override
    public float[] absMax() {
        return absMax.clone();
    }

    @Override
    public float[] meanSquares() {
        return meanSquares.clone();
    }
}
