package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;

/**
 * IQ4_NL (spec section 5.1): 32-element blocks, fp16 scale + 16 non-linear 4-bit levels. Reproduces the
 * path llama-quantize runs ({@code quantize_iq4_nl}, {@code ntry = 7}) with and without importance.
 */
public final class Iq4NlQuantizer extends RowQuantizer {
    private static final int BLOCK_BYTES = 18;

    public Iq4NlQuantizer() {
        super(DType.IQ4_NL);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        float[] w = new float[Iq4Blocks.BLOCK];
        for (int off = 0, o = outOffset; off < n; off += Iq4Blocks.BLOCK, o += BLOCK_BYTES) {
            float sigma2 = importance == null ? 0f : Iq4Blocks.sumSquares(x, off, Iq4Blocks.BLOCK) * 0.0625f;
            Iq4Blocks.weights(x, off, importance, sigma2, w);
            float d = Iq4Blocks.scale(x, off, w);
            short h = Half.fp16(d);
            out[o] = (byte) h;
            out[o + 1] = (byte) (h >> 8);
            // indices come from the unrounded scale, as upstream
            Iq4Blocks.packIndices(x, off, d != 0 ? 1f / d : 0f, out, o + 2);
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0, o = srcOffset; i < n; i += Iq4Blocks.BLOCK, o += BLOCK_BYTES) {
            float d = Half.f32((short) ((src[o] & 0xFF) | src[o + 1] << 8));
            Iq4Blocks.unpack(src, o + 2, d, dst, dstOffset + i);
        }
    }
}
