package dev.quant4j.integer.seed;

import dev.quant4j.integer.ct.ScaleDtype;

/**
 * Options of {@code int4}: {@code group-size}, values per scale, >= 1 (default 32); {@code
 * layout=quant4j|compressed-tensors}; for compressed-tensors {@code symmetric} (W4A16; false: zero points,
 * W4A16_ASYM) and {@code scale-dtype=f32|f16|bf16}. The quant4j layout is asymmetric with a float min
 * ({@link Int4Quantizer}); {@code symmetric=true} is refused there.
 */
public record Int4Options(int groupSize, CodeLayout layout, boolean symmetric, ScaleDtype scaleDtype) {
    public Int4Options {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group-size must be >= 1, got " + groupSize);
        }
        SeedLayouts.check(layout, scaleDtype);
        if (layout == CodeLayout.QUANT4J && symmetric) {
            throw new IllegalArgumentException("symmetric only applies to layout compressed-tensors (the quant4j int4 "
                    + "layout stores a scale and a min per group)");
        }
    }

    public Int4Options(int groupSize) {
        this(groupSize, CodeLayout.QUANT4J, false, ScaleDtype.F32);
    }

    public static Int4Options defaults() {
        return new Int4Options(32);
    }
}
