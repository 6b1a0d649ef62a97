package dev.quant4j.integer.seed;

import dev.quant4j.integer.ct.ScaleDtype;

/**
 * Options of {@code fp8_e4m3} and {@code fp8_e5m2}: where the F32 scale that maps max |x| onto the format's
 * largest finite value applies: {@code granularity=per-tensor|per-row|per-group} (+ {@code group-size}).
 * {@code layout=compressed-tensors} ({@code fp8_e4m3} only, compressed-tensors' float8_e4m3fn): per-row (channel)
 * or, with {@code block-size=B}, one scale per B × B tile (FP8_BLOCK); scales in {@code scale-dtype}.
 * Defaults: per-row, quant4j, f32, no blocks.
 */
public record Fp8Options(Granularity granularity, int groupSize, CodeLayout layout, ScaleDtype scaleDtype,
                         int blockSize) {
    public Fp8Options {
        new ScaleLayout(granularity, groupSize);
        SeedLayouts.check(layout, scaleDtype);
        if (blockSize < 0 || blockSize > 0 && layout != CodeLayout.COMPRESSED_TENSORS) {
            throw new IllegalArgumentException("block-size (" + blockSize + ") only applies to layout compressed-tensors");
        }
        if (layout == CodeLayout.COMPRESSED_TENSORS && granularity != Granularity.PER_ROW) {
            throw new IllegalArgumentException("layout compressed-tensors is per-row (or block-size), not "
                    + granularity.label());
        }
    }

    public Fp8Options(Granularity granularity, int groupSize) {
        this(granularity, groupSize, CodeLayout.QUANT4J, ScaleDtype.F32, 0);
    }

    public static Fp8Options defaults() {
        return new Fp8Options(Granularity.PER_ROW, 0);
    }

    /** Where the quant4j layout's F32 scales go. */
    public ScaleLayout scaleLayout() {
        return new ScaleLayout(granularity, groupSize);
    }
}
