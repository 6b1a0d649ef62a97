package dev.quant4j.lowbit.bitnet;

import dev.quant4j.kernels.Half;

/**
 * The BitNet b1.58 absmean rule for one block of 256 weights, fixed to the last bit:
 * <ul>
 *   <li>{@code s = 0f; for j = 0..255: s = s + |w[j]|} (binary32, sequential, increasing index);</li>
 *   <li>{@code gamma = s / 256f + 1e-8f} (binary32; the epsilon keeps an all-zero block finite);</li>
 *   <li>{@code q[j] = rint(clamp(w[j] / gamma, -1, 1))}: binary32 division, then round half to even
 *       (as {@code torch.round} in the BitNet reference), so exactly +-0.5 gives 0;</li>
 *   <li>the stored scale is {@code fp16(gamma)}, saturated to 65504 when gamma exceeds the fp16 range, and
 *       llama.cpp reconstructs {@code q[j] * f32(fp16(gamma))}.</li>
 * </ul>
 */
final class Absmean {
    static final int BLOCK = 256;
    static final float EPSILON = 1e-8f;
    private static final short FP16_MAX = 0x7BFF;

    private Absmean() {
    }

    /** gamma of the block {@code w[off .. off + 256)}. */
    static float gamma(float[] w, int off) {
        float s = 0f;
        for (int j = 0; j < BLOCK; j++) {
            s += Math.abs(w[off + j]);
        }
        return s / BLOCK + EPSILON;
    }

    /** The ternary level -1, 0 or +1 of weight {@code w}. */
    static int level(float w, float gamma) {
        float r = Math.min(Math.max(w / gamma, -1f), 1f);
        return (int) Math.rint(r);
    }

    /** fp16 bits of the stored scale. */
    static short storedScale(float gamma) {
        short h = Half.fp16(gamma);
        return (h & 0x7FFF) > FP16_MAX ? FP16_MAX : h;
    }
}
