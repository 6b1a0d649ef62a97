package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;

/**
 * Q2_0 (spec section 10): 2-bit codes and one fp16 scale per 64, the block's largest magnitude {@code d};
 * code {@code q = clamp(roundf(x / d) + 1, 0, 3)} decodes to {@code (q - 1) * d}. Since |x / d| never exceeds 1,
 * only codes 0 to 2 occur: a ternary layout with a 64-block. ggml's reference quantizer; importance is ignored,
 * as upstream.
 *
 * <p>Block layout (18 bytes): fp16 {@code d} at 0, then element j in bits {@code 2(j%4)..2(j%4)+1} of byte
 * {@code 2 + j/4}.
 */
public final class Q2_0Quantizer extends RowQuantizer {
    private static final int QK = 64;
    private static final int BLOCK_BYTES = 18;

    public Q2_0Quantizer() {
        super(DType.Q2_0);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        for (int base = 0, o = outOffset; base < n; base += QK, o += BLOCK_BYTES) {
            float amax = 0f;
            for (int j = 0; j < QK; j++) {
                amax = Rounding.cmax(Math.abs(x[base + j]), amax);
            }
            float id = amax > 0f ? 1f / amax : 0f;
            short d = Half.fp16(amax);
            out[o] = (byte) d;
            out[o + 1] = (byte) (d >> 8);
            for (int b = 0; b < QK / 4; b++) {
                int bits = 0;
                for (int k = 0; k < 4; k++) {
                    int q = Rounding.clamp(Rounding.lroundf(x[base + 4 * b + k] * id) + 1, 0, 3);
                    bits |= q << 2 * k;
                }
                out[o + 2 + b] = (byte) bits;
            }
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0, o = srcOffset; i < n; i += QK, o += BLOCK_BYTES) {
            float d = Half.f32((short) ((src[o] & 0xFF) | src[o + 1] << 8));
            for (int j = 0; j < QK; j++) {
                int q = (src[o + 2 + j / 4] >> 2 * (j % 4)) & 3;
                dst[dstOffset + i + j] = (float) (q - 1) * d;
            }
        }
    }
}
