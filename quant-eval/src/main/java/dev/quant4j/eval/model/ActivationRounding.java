package dev.quant4j.eval.model;

import dev.quant4j.api.tensor.DType;

/**
 * What ggml's CPU matmul does to the activations before the dot products: it converts them to the weight type's
 * {@code vec_dot_type} — F16 for F16 weights, Q8_0 blocks of 32 for Q4_0/Q5_0/Q8_0/IQ4_NL (Q8_1, the same values,
 * for Q4_1/Q5_1), Q8_K blocks of 256 for the K-, IQ- and TQ-quants. Emulated here by quantizing and dequantizing
 * each row, so the float product sees the values ggml's integer product sees (up to float summation order).
 */
final class ActivationRounding {
    private ActivationRounding() {
    }

    /** {@code x} (n values, rows of {@code cols}) as the matmul with a {@code weight} weight sees it; may be {@code x}. */
    static float[] forWeight(DType weight, float[] x, int n, int cols) {
        return switch (weight) {
            case F16 -> MatMul.roundToF16(x, n);
            case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL -> cols % 32 == 0 ? q8(x, n, 32) : x;
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ1_S, IQ1_M, IQ4_XS, TQ1_0,
                 TQ2_0 -> cols % 256 == 0 ? q8K(x, n) : x;
            default -> x;
        };
    }

    /** Q8_0 (and Q8_1's values): scale max|x|/127 stored as F16, codes round(x·127/max) half to even (AVX). */
    static float[] q8(float[] x, int n, int block) {
        float[] r = new float[n];
        for (int b = 0; b < n; b += block) {
            float amax = 0;
            for (int i = b; i < b + block; i++) {
                amax = Math.max(amax, Math.abs(x[i]));
            }
            float d = amax / 127f;
            float id = amax != 0 ? 127f / amax : 0f;
            float dh = Float.float16ToFloat(Float.floatToFloat16(d));
            for (int i = b; i < b + block; i++) {
                r[i] = (float) Math.rint(x[i] * id) * dh;
            }
        }
        return r;
    }

    /** Q8_K (ggml's quantize_row_q8_K_ref): iscale = -127/max of the signed extreme, codes min(127, nearest), d = 1/iscale. */
    static float[] q8K(float[] x, int n) {
        float[] r = new float[n];
        for (int b = 0; b < n; b += 256) {
            float amax = 0;
            float max = 0;
            for (int i = b; i < b + 256; i++) {
                float ax = Math.abs(x[i]);
                if (ax > amax) {
                    amax = ax;
                    max = x[i];
                }
            }
            if (amax == 0) {
                continue;
            }
            float iscale = -127f / max;
            float d = 1 / iscale;
            for (int i = b; i < b + 256; i++) {
                int v = Math.min(127, (int) Math.rint(iscale * x[i]));
                r[i] = v * d;
            }
        }
        return r;
    }
}
