package dev.quant4j.integer.seed;

/** Options of {@code int4}: {@code group-size}, values per (scale, min) pair, >= 1; default 32. */
public record Int4Options(int groupSize) {
    public Int4Options {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group-size must be >= 1, got " + groupSize);
        }
    }

    public static Int4Options defaults() {
        return new Int4Options(32);
    }
}
