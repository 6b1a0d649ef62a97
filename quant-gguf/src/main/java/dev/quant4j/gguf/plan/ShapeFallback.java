package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;

/**
 * llama-quantize's replacement for a type whose block does not divide the row length (mixtures.md section 5).
 */
final class ShapeFallback {
    private ShapeFallback() {
    }

    /** The fallback for {@code t}, or null where llama-quantize defines none (it then aborts). */
    static DType of(DType t) {
        return switch (t) {
            case IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ4_XS -> DType.IQ4_NL;
            case Q2_0, Q2_K, Q3_K, TQ1_0, TQ2_0 -> DType.Q4_0;
            case Q4_K -> DType.Q5_0;
            case Q5_K -> DType.Q5_1;
            case Q6_K -> DType.Q8_0;
            default -> null;
        };
    }

    static boolean fits(DType t, long rowLength) {
        return rowLength % t.blockSize() == 0;
    }
}
