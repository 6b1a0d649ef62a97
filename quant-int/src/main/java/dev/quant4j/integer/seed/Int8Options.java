package dev.quant4j.integer.seed;

import dev.quant4j.integer.ct.ScaleDtype;

/**
 * Options of {@code int8}: {@code granularity=per-tensor|per-row|per-group} and, for per-group only,
 * {@code group-size} (>= 1); {@code layout=quant4j|compressed-tensors} (compressed-tensors: per-row only — its
 * channel strategy —, codes in [-128, 127], scale absmax/127.5 stored as {@code scale-dtype=f32|f16|bf16}).
 * Defaults: per-row, quant4j, f32.
 */
public record Int8Options(Granularity granularity, int groupSize, CodeLayout layout, ScaleDtype scaleDtype) {
    public Int8Options {
        new ScaleLayout(granularity, groupSize);
        SeedLayouts.check(layout, scaleDtype);
        if (layout == CodeLayout.COMPRESSED_TENSORS && granularity != Granularity.PER_ROW) {
            throw new IllegalArgumentException("layout compressed-tensors is per-row (its channel strategy), not "
                    + granularity.label());
        }
    }

    public Int8Options(Granularity granularity, int groupSize) {
        this(granularity, groupSize, CodeLayout.QUANT4J, ScaleDtype.F32);
    }

    public static Int8Options defaults() {
        return new Int8Options(Granularity.PER_ROW, 0);
    }

    /** Where the quant4j layout's F32 scales go. */
    public ScaleLayout scaleLayout() {
        return new ScaleLayout(granularity, groupSize);
    }
}
