package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;

/**
 * IQ4_XS (spec section 5.2): 256-element super-blocks of eight 32-blocks, an fp16 super-scale and 6-bit
 * sub-block scales, IQ4_NL levels. Reproduces {@code quantize_iq4_xs} ({@code ntry = 7}) with and without
 * importance.
 */
public final class Iq4XsQuantizer extends RowQuantizer {
    private static final int QK = 256;
    private static final int SUB = QK / Iq4Blocks.BLOCK;
    private static final int BLOCK_BYTES = 136;

    public Iq4XsQuantizer() {
        super(DType.IQ4_XS);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        float[] w = new float[Iq4Blocks.BLOCK];
        float[] scales = new float[SUB];
        for (int base = 0, o = outOffset; base < n; base += QK, o += BLOCK_BYTES) {
            float sigma2 = importance == null ? 0f : Iq4Blocks.sumSquares(x, base, QK) * (2f / QK);
            float maxScale = 0f;
            float amaxScale = 0f;
            for (int ib = 0; ib < SUB; ib++) {
                int off = base + ib * Iq4Blocks.BLOCK;
                Iq4Blocks.weights(x, off, importance, sigma2, w);
                float s = Iq4Blocks.scale(x, off, w);
                scales[ib] = s;
                if (Math.abs(s) > amaxScale) {
                    amaxScale = Math.abs(s);
                    maxScale = s;
                }
            }
            float d = -maxScale / 32f;
            short h = Half.fp16(d);
            out[o] = (byte) h;
            out[o + 1] = (byte) (h >> 8);
            float id = d != 0 ? 1f / d : 0f;
            int scalesH = 0;
            for (int ib = 0; ib < SUB; ib++) {
                int l = Rounding.clamp(Rounding.nearestInt(id * scales[ib]), -32, 31);
                float dl = d * (float) l;
                Iq4Blocks.packIndices(x, base + ib * Iq4Blocks.BLOCK, dl != 0 ? 1f / dl : 0f, out, o + 8 + 16 * ib);
                l += 32;
                int sl = o + 4 + ib / 2;
                out[sl] = (byte) ((ib & 1) == 0 ? l & 15 : (out[sl] & 15) | (l & 15) << 4);
                scalesH |= (l >> 4) << 2 * ib;
            }
            out[o + 2] = (byte) scalesH;
            out[o + 3] = (byte) (scalesH >> 8);
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0, o = srcOffset; i < n; i += QK, o += BLOCK_BYTES) {
            float d = Half.f32((short) ((src[o] & 0xFF) | src[o + 1] << 8));
            int scalesH = (src[o + 2] & 0xFF) | (src[o + 3] & 0xFF) << 8;
            for (int ib = 0; ib < SUB; ib++) {
                int ls = ((src[o + 4 + ib / 2] >> 4 * (ib & 1)) & 15) | ((scalesH >> 2 * ib) & 3) << 4;
                Iq4Blocks.unpack(src, o + 8 + 16 * ib, d * (float) (ls - 32), dst, dstOffset + i + ib * Iq4Blocks.BLOCK);
            }
        }
    }
}
