package dev.quant4j.lowbit.simple;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;

/**
 * ggml's TQ1_0 and TQ2_0 reference quantizers (spec section 6; importance is ignored, as upstream):
 * per 256-block {@code d = max |x|}, trit {@code lroundf(x * (1/d)) + 1}, fp16 d, packed by {@link TernaryCodec}.
 */
public final class TernaryQuantizer extends RowQuantizer {
    private final boolean tq1;
    private final int blockBytes;

    /** @param type {@link DType#TQ1_0} or {@link DType#TQ2_0} */
    public TernaryQuantizer(DType type) {
        super(type);
        if (type != DType.TQ1_0 && type != DType.TQ2_0) {
            throw new IllegalArgumentException("not a ternary type: " + type);
        }
        this.tq1 = type == DType.TQ1_0;
        this.blockBytes = type.blockBytes();
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        byte[] t = new byte[TernaryCodec.QK];
        for (int base = 0, o = outOffset; base < n; base += TernaryCodec.QK, o += blockBytes) {
            float amax = 0f;
            for (int j = 0; j < TernaryCodec.QK; j++) {
                amax = Rounding.cmax(amax, Math.abs(x[base + j]));
            }
            float id = amax != 0 ? 1f / amax : 0f;
            for (int j = 0; j < TernaryCodec.QK; j++) {
                t[j] = (byte) (Rounding.lroundf(x[base + j] * id) + 1);
            }
            if (tq1) {
                TernaryCodec.packTq1(t, Half.fp16(amax), out, o);
            } else {
                TernaryCodec.packTq2(t, Half.fp16(amax), out, o);
            }
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0, o = srcOffset; i < n; i += TernaryCodec.QK, o += blockBytes) {
            if (tq1) {
                TernaryCodec.unpackTq1(src, o, dst, dstOffset + i);
            } else {
                TernaryCodec.unpackTq2(src, o, dst, dstOffset + i);
            }
        }
    }
}
