package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;

/**
 * NVFP4 (spec section 10): 64-element blocks of four 16-element sub-blocks, each with an unsigned-E4M3 scale
 * byte ({@link Ue4m3}) and E2M1 codes ({@link E2m1}). ggml's reference quantizer; importance is ignored, as
 * upstream.
 *
 * <p>Block layout (36 bytes): scale bytes {@code d[0..4)}, then sub-block s's 16 codes in bytes
 * {@code 4 + 8s .. 4 + 8s + 8}, value j in the low nibble of byte j and value j + 8 in its high nibble.
 */
public final class Nvfp4Quantizer extends RowQuantizer {
    private static final int QK = 64;
    private static final int SUB = 16;
    private static final int N_SUB = QK / SUB;
    private static final int BLOCK_BYTES = 36;

    public Nvfp4Quantizer() {
        super(DType.NVFP4);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        for (int base = 0, o = outOffset; base < n; base += QK, o += BLOCK_BYTES) {
            for (int s = 0; s < N_SUB; s++) {
                int sb = base + s * SUB;
                float amax = 0f;
                for (int j = 0; j < SUB; j++) {
                    if (amax < Math.abs(x[sb + j])) {
                        amax = Math.abs(x[sb + j]);
                    }
                }
                // the largest E2M1 magnitude is 6: amax / 6 maps it to amax
                int code = Ue4m3.encode(amax / 6.0f);
                out[o + s] = (byte) code;
                E2m1.pack(x, sb, SUB / 2, Ue4m3.decode(code), out, o + N_SUB + s * (SUB / 2));
            }
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0, o = srcOffset; i < n; i += QK, o += BLOCK_BYTES) {
            for (int s = 0; s < N_SUB; s++) {
                E2m1.unpack(src, o + N_SUB + s * (SUB / 2), SUB / 2, Ue4m3.decode(src[o + s] & 0xFF), dst,
                        dstOffset + i + s * SUB);
            }
        }
    }
}
