package dev.quant4j.integer.ggml;

import static dev.quant4j.integer.ggml.LegacyBlocks.QK;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.QkxBatch;

/**
 * Q4_1 and Q5_1 (spec sections 3.2, 3.4): fp16 scale and fp16 minimum per 32 values, {@code y = q d + m};
 * Q5_1 keeps the fifth bits in a uint32 {@code qh}.
 */
final class AffineLegacyCodec implements RowCodec {
    private final DType type;
    private final int qmax;
    private final int qsOffset;

    AffineLegacyCodec(DType type) {
        if (type != DType.Q4_1 && type != DType.Q5_1) {
            throw new IllegalArgumentException(type + " is not an affine legacy type");
        }
        this.type = type;
        this.qmax = type == DType.Q4_1 ? 15 : 31;
        this.qsOffset = type == DType.Q4_1 ? 4 : 8;
    }

    @Override
    public DType type() {
        return type;
    }

    @Override
    public boolean usesImportance() {
        return true;
    }

    @Override
    public void encode(float[] x, int n, float[] qw, byte[] out, int off) {
        int nb = n / QK;
        byte[] q = new byte[n];
        float[] scales = null;
        float[] theMins = null;
        if (qw != null) {
            // quantize_row_q{4,5}_1_impl: every block's make_qkx3_quants in one batch
            scales = new float[nb];
            theMins = new float[nb];
            QkxBatch.create(QK).make(nb, qmax, x, 0, LegacyBlocks.weights(x, n, qw), 0, -0.9f, 0.05f, 36, false,
                    true, q, 0, scales, theMins, 0);
        }
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            if (qw == null) {
                reference(x, c, q, out, o);
            } else {
                LittleEndian.putHalf(out, o, scales[c / QK]);
                LittleEndian.putHalf(out, o + 2, -theMins[c / QK]);
            }
            if (qsOffset == 8) {
                LittleEndian.putInt(out, o + 4, LegacyBlocks.highBits(q, c));
            }
            LegacyBlocks.pack4(q, c, out, o + qsOffset);
        }
    }

    /** quantize_row_q{4,5}_1_ref for the block at column {@code c}: levels into q, d and m into the block. */
    private void reference(float[] x, int c, byte[] q, byte[] out, int o) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < QK; j++) {
            float v = x[c + j];
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        float d = (max - min) / qmax;
        float id = d != 0 ? 1 / d : 0;
        LittleEndian.putHalf(out, o, d);
        LittleEndian.putHalf(out, o + 2, min);
        for (int j = 0; j < QK; j++) {
            int l = (int) ((x[c + j] - min) * id + 0.5f);
            // Q4_1 clamps to 15; Q5_1 stores the byte unclamped upstream (it cannot exceed 31 for finite input)
            q[c + j] = (byte) (qmax == 15 ? Math.min(15, l) : l);
        }
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            float d = LittleEndian.getHalf(in, o);
            float m = LittleEndian.getHalf(in, o + 2);
            int qh = qsOffset == 8 ? LittleEndian.getInt(in, o + 4) : 0;
            for (int j = 0; j < QK / 2; j++) {
                int b = in[o + qsOffset + j] & 0xFF;
                int q0 = (b & 15) | ((qh >>> j) & 1) << 4;
                int q1 = (b >> 4) | ((qh >>> (j + 16)) & 1) << 4;
                y[yOff + c + j] = q0 * d + m;
                y[yOff + c + j + 16] = q1 * d + m;
            }
        }
    }
}
