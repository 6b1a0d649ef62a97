package dev.quant4j.integer.ggml;

import static dev.quant4j.integer.ggml.LegacyBlocks.QK;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.QxBatch;

/**
 * Q4_0 and Q5_0 (spec sections 3.1, 3.3): one fp16 scale per 32 values, levels {@code q - 2^(bits-1)};
 * Q5_0 keeps the fifth bits in a uint32 {@code qh}.
 */
final class SymmetricLegacyCodec implements RowCodec {
    private final DType type;
    private final int nmax;
    private final int qmax;
    private final float bias;
    private final int qsOffset;

    SymmetricLegacyCodec(DType type) {
        if (type != DType.Q4_0 && type != DType.Q5_0) {
            throw new IllegalArgumentException(type + " is not a symmetric legacy type");
        }
        this.type = type;
        this.nmax = type == DType.Q4_0 ? 8 : 16;
        this.qmax = 2 * nmax - 1;
        this.bias = nmax + 0.5f;
        this.qsOffset = type == DType.Q4_0 ? 2 : 6;
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
        if (qw != null) {
            // quantize_row_q{4,5}_0_impl: every block's make_qx_quants in one batch
            scales = new float[nb];
            QxBatch.create(QK).make(nb, nmax, x, 0, LegacyBlocks.weights(x, n, qw), 0, q, 0, scales, 0);
        }
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            float d = qw == null ? reference(x, c, q) : scales[c / QK];
            LittleEndian.putHalf(out, o, d);
            if (qsOffset == 6) {
                LittleEndian.putInt(out, o + 2, LegacyBlocks.highBits(q, c));
            }
            LegacyBlocks.pack4(q, c, out, o + qsOffset);
        }
    }

    /** quantize_row_q{4,5}_0_ref for the block at column {@code c}; returns the unrounded scale. */
    private float reference(float[] x, int c, byte[] q) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < QK; j++) {
            float v = x[c + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -nmax;
        float id = d != 0 ? 1 / d : 0;
        for (int j = 0; j < QK; j++) {
            q[c + j] = (byte) Math.min(qmax, (int) (x[c + j] * id + bias));
        }
        return d;
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            float d = LittleEndian.getHalf(in, o);
            int qh = qsOffset == 6 ? LittleEndian.getInt(in, o + 2) : 0;
            for (int j = 0; j < QK / 2; j++) {
                int b = in[o + qsOffset + j] & 0xFF;
                int q0 = (b & 15) | ((qh >>> j) & 1) << 4;
                int q1 = (b >> 4) | ((qh >>> (j + 16)) & 1) << 4;
                y[yOff + c + j] = (q0 - nmax) * d;
                y[yOff + c + j + 16] = (q1 - nmax) * d;
            }
        }
    }
}
