package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;

/**
 * MXFP4 (spec section 7): 32-element blocks, an E8M0 exponent byte and 4-bit E2M1 codes. ggml's reference
 * quantizer; importance is ignored, as upstream.
 */
public final class Mxfp4Quantizer extends RowQuantizer {
    private static final int QK = 32;
    private static final int BLOCK_BYTES = 17;
    private static final double LN2 = Math.log(2.0);

    public Mxfp4Quantizer() {
        super(DType.MXFP4);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        for (int base = 0, o = outOffset; base < n; base += QK, o += BLOCK_BYTES) {
            float amax = 0f;
            for (int j = 0; j < QK; j++) {
                if (amax < Math.abs(x[base + j])) {
                    amax = Math.abs(x[base + j]);
                }
            }
            int e = amax > 0f ? (floorLog2f(amax) - 2 + 127) & 0xFF : 0;
            float s = half(e);
            out[o] = (byte) e;
            E2m1.pack(x, base, QK / 2, s, out, o + 1);
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0, o = srcOffset; i < n; i += QK, o += BLOCK_BYTES) {
            E2m1.unpack(src, o + 1, QK / 2, half(src[o] & 0xFF), dst, dstOffset + i);
        }
    }

    /**
     * {@code floorf(log2f(v))} for positive finite v. Upstream floors the single-precision log2, which rounds up
     * to the next integer for v just below a power of two; log2 is taken in double (exponent plus the log of the
     * mantissa, so the fraction keeps full precision) and rounded to float before flooring.
     */
    static int floorLog2f(float v) {
        int exp = Math.getExponent((double) v);  // in double, float subnormals are normal
        double mant = v / Math.scalb(1.0, exp);   // exact, in [1, 2)
        float l = (float) (exp + Math.log(mant) / LN2);
        return (int) Math.floor(l);
    }

    /** {@code 2^(e - 128)} as ggml's E8M0-to-float-half builds it from bits (e = 0, 1 give float subnormals). */
    static float half(int e) {
        int bits = e >= 2 ? (e - 1) << 23 : e == 1 ? 0x00400000 : 0x00200000;
        return Float.intBitsToFloat(bits);
    }
}
