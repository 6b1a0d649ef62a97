package dev.quant4j.integer.seed;

/**
 * Options of {@code fp8_e4m3} and {@code fp8_e5m2}: where the F32 scale that maps max |x| onto the format's
 * largest finite value applies: {@code granularity=per-tensor|per-row|per-group} (+ {@code group-size}).
 * Defaults: per-row.
 */
public record Fp8Options(Granularity granularity, int groupSize) {
    public Fp8Options {
        new ScaleLayout(granularity, groupSize);
    }

    public static Fp8Options defaults() {
        return new Fp8Options(Granularity.PER_ROW, 0);
    }

    public ScaleLayout layout() {
        return new ScaleLayout(granularity, groupSize);
    }
}
