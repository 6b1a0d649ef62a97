package dev.quant4j.api.tensor;

import java.util.Objects;

/**
 * Per-input-channel statistics of the activations entering one dense weight.
 *
 * @param tensor      the weight's name
 * @param count       activation rows observed
 * @param absMax      max |x_j| per column (the weight's row length)
 * @param meanSquares mean x_j² per column
 * @param secondMoments mean x_i x_j, row-major columns × columns, or empty when not collected
 */
public record ChannelStats(String tensor, long count, float[] absMax, float[] meanSquares, float[] secondMoments) {
    public ChannelStats {
        Objects.requireNonNull(tensor);
        if (absMax.length != meanSquares.length) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + absMax.length + " maxima, "
                    + meanSquares.length + " mean squares");
        }
        if (secondMoments.length != 0 && secondMoments.length != (long) absMax.length * absMax.length) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + secondMoments.length
                    + " second moments for " + absMax.length + " columns");
        }
        absMax = absMax.clone();
        meanSquares = meanSquares.clone();
        secondMoments = secondMoments.clone();
    }

    /** Statistics without second moments. */
    public ChannelStats(String tensor, long count, float[] absMax, float[] meanSquares) {
        this(tensor, count, absMax, meanSquares, new float[0]);
    }

    /**
     * The key under which the statistics of expert {@code expert} of a 3-D {@code *_exps} weight are kept next
     * to the dense weights' (only the tokens routed to that expert): {@code weight#expert}.
     */
    public static String expertKey(String weight, int expert) {
        return weight + "#" + expert;
    }

    /** The weight a statistics key names: the key itself, or the weight of an {@link #expertKey}. */
    public static String weightOf(String key) {
        int hash = key.lastIndexOf('#');
        return hash < 0 ? key : key.substring(0, hash);
    }

    /** The expert an {@link #expertKey} names, or -1 for a dense weight's key. */
    public static int expertOf(String key) {
        int hash = key.lastIndexOf('#');
        return hash < 0 ? -1 : Integer.parseInt(key.substring(hash + 1));
    }

    public boolean hasSecondMoments() {
        return secondMoments.length != 0;
    }

    @Override
    public float[] secondMoments() {
        return secondMoments.clone();
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
