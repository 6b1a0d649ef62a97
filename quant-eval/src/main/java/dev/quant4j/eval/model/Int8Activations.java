package dev.quant4j.eval.model;

/**
 * Simulated dynamic per-token int8 activations, as vLLM runs a compressed-tensors W8A8 Linear
 * ({@code input_activations: int8, strategy token, dynamic, symmetric}; vLLM's dynamic scaled_int8_quant): per
 * token row, scale = max|x| / 127, code = x · (127 / max|x|) rounded half to even and saturated to [-128, 127],
 * and the product then sees code · scale. A row of zeros stays zero.
 */
final class Int8Activations {
    private Int8Activations() {
    }

    /** A fresh array: {@code tokens} rows of {@code cols} values, each row quantized and dequantized. */
    static float[] perToken(float[] x, int tokens, int cols) {
        float[] r = new float[tokens * cols];
        for (int t = 0; t < tokens; t++) {
            int base = t * cols;
            float amax = 0f;
            for (int i = base; i < base + cols; i++) {
                amax = Math.max(amax, Math.abs(x[i]));
            }
            if (amax == 0f) {
                continue;
            }
            float scale = amax / 127f;
            float inv = 127f / amax;
            for (int i = base; i < base + cols; i++) {
                r[i] = (float) Math.clamp(Math.rint(x[i] * inv), -128, 127) * scale;
            }
        }
        return r;
    }
}
