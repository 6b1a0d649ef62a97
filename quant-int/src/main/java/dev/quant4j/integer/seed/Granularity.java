package dev.quant4j.integer.seed;

import java.util.Locale;

/** Which values share one scale. An enum because the set is closed and option strings name its members. */
public enum Granularity {
    /** One scale for the whole tensor: the encoding needs every row at once (not row independent). */
    PER_TENSOR,
    /** One scale per row (per output channel). */
    PER_ROW,
    /** One scale per run of {@code group-size} consecutive values of a row. */
    PER_GROUP;

    /** The option spelling, e.g. {@code per-row}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
