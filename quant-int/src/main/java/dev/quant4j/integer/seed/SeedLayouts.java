package dev.quant4j.integer.seed;

import dev.quant4j.integer.ct.ScaleDtype;

/** Validation shared by the seed options that offer {@link CodeLayout#COMPRESSED_TENSORS}. */
final class SeedLayouts {
    private SeedLayouts() {
    }

    static void check(CodeLayout layout, ScaleDtype scaleDtype) {
        if (layout == null) {
            throw new IllegalArgumentException("layout must be quant4j or compressed-tensors");
        }
        if (scaleDtype == null) {
            throw new IllegalArgumentException("scale-dtype must be f32, f16 or bf16");
        }
        if (layout == CodeLayout.QUANT4J && scaleDtype != ScaleDtype.F32) {
            throw new IllegalArgumentException("scale-dtype " + scaleDtype.name().toLowerCase(java.util.Locale.ROOT)
                    + " only applies to layout compressed-tensors (quant4j layouts store F32 scales)");
        }
    }
}
