package dev.quant4j.integer.seed;

/**
 * Options of {@code int8}: {@code granularity=per-tensor|per-row|per-group} and, for per-group only,
 * {@code group-size} (>= 1). Defaults: per-row.
 */
public record Int8Options(Granularity granularity, int groupSize) {
    public Int8Options {
        new ScaleLayout(granularity, groupSize);
    }

    public static Int8Options defaults() {
        return new Int8Options(Granularity.PER_ROW, 0);
    }

    public ScaleLayout layout() {
        return new ScaleLayout(granularity, groupSize);
    }
}
