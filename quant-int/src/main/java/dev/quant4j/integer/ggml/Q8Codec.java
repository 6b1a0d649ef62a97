package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LegacyRows;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.Rounding;

/**
 * Q8_0 and Q8_1 (spec sections 3.5, 3.6): {@code d = amax / 127}, {@code q = roundf(x / d)} from the unrounded
 * d. Q8_1 also stores {@code s = fp16(sum(q) * d)}. Neither reads importance.
 */
enum Q8Codec implements RowCodec {
    Q8_0(DType.Q8_0, 2),
    Q8_1(DType.Q8_1, 4);

    private static final int QK = 32;
    private final DType type;
    private final int qsOffset;

    Q8Codec(DType type, int qsOffset) {
        this.type = type;
        this.qsOffset = qsOffset;
    }

    @Override
    public DType type() {
        return type;
    }

    @Override
    public boolean usesImportance() {
        return false;
    }

    @Override
    public void encode(float[] x, int n, float[] importance, byte[] out, int off) {
        encode(x, 0, n, importance, out, off);
    }

    @Override
    public void encode(float[] x, int xOff, int n, float[] importance, byte[] out, int off) {
        if (this == Q8_0) {
            LegacyRows.create().q8_0(x, xOff, n, out, off);
            return;
        }
        int bb = type.blockBytes();
        for (int c = xOff, o = off; c < xOff + n; c += QK, o += bb) {
            float amax = 0;
            for (int j = 0; j < QK; j++) {
                // upstream MAX(amax, fabsf(x)); equal to Math.max here as |x| is never -0 and never NaN
                amax = Math.max(amax, Math.abs(x[c + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            LittleEndian.putHalf(out, o, d);
            int qs = o + qsOffset;
            int sum = 0;
            for (int j = 0; j < QK; j++) {
                int q = Rounding.lroundf(x[c + j] * id);
                out[qs + j] = (byte) q;
                sum += q;
            }
            LittleEndian.putHalf(out, o + 2, sum * d);
        }
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            float d = LittleEndian.getHalf(in, o);
            for (int j = 0; j < QK; j++) {
                y[yOff + c + j] = in[o + qsOffset + j] * d;
            }
        }
    }
}
