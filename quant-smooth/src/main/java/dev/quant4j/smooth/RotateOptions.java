package dev.quant4j.smooth;

/**
 * Options of {@code rotate}.
 *
 * @param seed   seeds the random signs of the Hadamard rotation (or the Gaussian matrix of the random one)
 * @param method {@code auto} (randomised Hadamard when the width is a power of two, else random orthogonal),
 *               {@code hadamard} (refused for other widths) or {@code random} (QR of a seeded Gaussian matrix)
 */
public record RotateOptions(long seed, String method) {
    public RotateOptions {
        if (!java.util.Set.of("auto", "hadamard", "random").contains(method)) {
            throw new IllegalArgumentException("method must be auto, hadamard or random, got '" + method + "'");
        }
    }

    public static RotateOptions defaults() {
        return new RotateOptions(0, "auto");
    }
}
