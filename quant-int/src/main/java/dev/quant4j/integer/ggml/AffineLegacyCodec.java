package dev.quant4j.integer.ggml;

import static dev.quant4j.integer.ggml.LegacyBlocks.QK;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LegacyRows;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.QkxBatch;
import java.util.Arrays;

/**
 * Q4_1 and Q5_1 (spec sections 3.2, 3.4): fp16 scale and fp16 minimum per 32 values, {@code y = q d + m};
 * Q5_1 keeps the fifth bits in a uint32 {@code qh}. The reference path is {@link LegacyRows}.
 */
final class AffineLegacyCodec extends LegacyCodec {
    private final int qmax;

    AffineLegacyCodec(DType type) {
        super(type, DType.Q4_1, DType.Q5_1, 4);
        this.qmax = (1 << bits) - 1;
    }

    @Override
    public void encode(float[] row, int xOff, int n, float[] qw, byte[] out, int off) {
        if (qw == null) {
            LegacyRows.create().affine(bits, row, xOff, n, out, off);
            return;
        }
        // quantize_row_q{4,5}_1_impl: every block's make_qkx3_quants in one batch
        float[] x = xOff == 0 ? row : Arrays.copyOfRange(row, xOff, xOff + n);
        int nb = n / QK;
        byte[] q = new byte[n];
        float[] scales = new float[nb];
        float[] theMins = new float[nb];
        QkxBatch.create(QK).make(nb, qmax, x, 0, LegacyBlocks.weights(x, n, qw), 0, -0.9f, 0.05f, 36, false,
                true, q, 0, scales, theMins, 0);
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            LittleEndian.putHalf(out, o, scales[c / QK]);
            LittleEndian.putHalf(out, o + 2, -theMins[c / QK]);
            storeLevels(q, c, out, o);
        }
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            float d = LittleEndian.getHalf(in, o);
            float m = LittleEndian.getHalf(in, o + 2);
            int qh = highBits(in, o);
            for (int j = 0; j < QK / 2; j++) {
                int q0 = level(in, o, qh, j);
                int q1 = level(in, o, qh, j + 16);
                y[yOff + c + j] = q0 * d + m;
                y[yOff + c + j + 16] = q1 * d + m;
            }
        }
    }
}
