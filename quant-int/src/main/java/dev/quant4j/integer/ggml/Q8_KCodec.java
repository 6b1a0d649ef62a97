package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.Rounding;

/**
 * Q8_K (spec section 4.6): float32 {@code d} at 0, 256 int8 levels at 4, sixteen int16 block sums at 260.
 * {@code iscale = -127 / max} with {@code max} the signed value of largest magnitude; no importance path.
 */
final class Q8_KCodec implements RowCodec {
    private static final int QK = 256;
    private static final int BYTES = 292;

    @Override
    public DType type() {
        return DType.Q8_K;
    }

    @Override
    public boolean usesImportance() {
        return false;
    }

    @Override
    public void encode(float[] x, int n, float[] importance, byte[] out, int off) {
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            float amax = 0;
            float max = 0;
            for (int j = 0; j < QK; j++) {
                float ax = Math.abs(x[c + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[c + j];
                }
            }
            if (amax == 0) {
                // upstream leaves bsums unset here; we write zeros (the whole block is zero)
                java.util.Arrays.fill(out, o, o + BYTES, (byte) 0);
                continue;
            }
            float iscale = -127f / max;
            for (int j = 0; j < QK; j++) {
                out[o + 4 + j] = (byte) Math.min(127, Rounding.nearestInt(iscale * x[c + j]));
            }
            for (int j = 0; j < QK / 16; j++) {
                int sum = 0;
                for (int i = 0; i < 16; i++) {
                    sum += out[o + 4 + 16 * j + i];
                }
                LittleEndian.putShort(out, o + 260 + 2 * j, (short) sum);
            }
            LittleEndian.putFloat(out, o, 1 / iscale);
        }
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            float d = LittleEndian.getFloat(in, o);
            for (int j = 0; j < QK; j++) {
                y[yOff + c + j] = d * in[o + 4 + j];
            }
        }
    }
}
