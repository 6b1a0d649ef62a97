package dev.quant4j.smooth;

/**
 * Options of {@code awq}.
 *
 * @param grid      α candidates 0, 1/grid, …, (grid−1)/grid for s = s_x^α (AWQ's default 20)
 * @param clip      also search per-(row, column group) clipping bounds (AWQ's auto-clip); this changes the
 *                  float model, so it only makes sense ahead of quantization
 * @param clipGroup columns per clipping group (ggml blocks hold 32 or 16 values; 32 by default)
 * @param maxShrink the smallest bound tried is (1 − maxShrink) × the group's max |w| (AWQ's 0.5)
 * @param output    also scale {@code output.weight} (1/s into {@code output_norm}; a tied head is untied)
 */
public record AwqOptions(int grid, boolean clip, int clipGroup, double maxShrink, boolean output) {
    public AwqOptions {
        if (grid < 1 || grid > 1000) {
            throw new IllegalArgumentException("grid must be in [1, 1000], got " + grid);
        }
        if (clipGroup < 1) {
            throw new IllegalArgumentException("clip-group must be positive, got " + clipGroup);
        }
        if (!(maxShrink >= 0 && maxShrink < 1)) {
            throw new IllegalArgumentException("max-shrink must be in [0, 1), got " + maxShrink);
        }
    }

    public static AwqOptions defaults() {
        return new AwqOptions(20, false, 32, 0.5, false);
    }
}
