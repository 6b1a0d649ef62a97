package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;

/**
 * Q1_0 (spec section 10): one sign bit per weight and one fp16 scale per 128, the mean absolute value of the block
 * (a sequential float sum divided by 128). Bit j%8 of byte j/8 is set when {@code x[j] >= 0}, so -0.0 counts as
 * positive. Decodes to {@code +d} or {@code -d}. ggml's reference quantizer; importance is ignored, as upstream.
 *
 * <p>Block layout (18 bytes): fp16 {@code d} at 0, 16 bytes of sign bits at 2.
 */
public final class Q1_0Quantizer extends RowQuantizer {
    private static final int QK = 128;
    private static final int BLOCK_BYTES = 18;

    public Q1_0Quantizer() {
        super(DType.Q1_0);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        for (int base = 0, o = outOffset; base < n; base += QK, o += BLOCK_BYTES) {
            float sumAbs = 0f;
            for (int j = 0; j < QK; j++) {
                sumAbs += Math.abs(x[base + j]);
            }
            short d = Half.fp16(sumAbs / QK);
            out[o] = (byte) d;
            out[o + 1] = (byte) (d >> 8);
            for (int b = 0; b < QK / 8; b++) {
                int bits = 0;
                for (int k = 0; k < 8; k++) {
                    if (x[base + 8 * b + k] >= 0f) {
                        bits |= 1 << k;
                    }
                }
                out[o + 2 + b] = (byte) bits;
            }
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0, o = srcOffset; i < n; i += QK, o += BLOCK_BYTES) {
            float d = Half.f32((short) ((src[o] & 0xFF) | src[o + 1] << 8));
            float negD = -d;  // -0.0 for a zero scale, as upstream
            for (int b = 0, j = dstOffset + i; b < QK / 8; b++) {
                int bits = src[o + 2 + b];
                for (int k = 0; k < 8; k++, j++) {
                    dst[j] = (bits >> k & 1) != 0 ? d : negD;
                }
            }
        }
    }
}
