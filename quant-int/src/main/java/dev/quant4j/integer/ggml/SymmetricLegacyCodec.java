package dev.quant4j.integer.ggml;

import static dev.quant4j.integer.ggml.LegacyBlocks.QK;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LegacyRows;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.QxBatch;
import java.util.Arrays;

/**
 * Q4_0 and Q5_0 (spec sections 3.1, 3.3): one fp16 scale per 32 values, levels {@code q - 2^(bits-1)};
 * Q5_0 keeps the fifth bits in a uint32 {@code qh}. The reference path is {@link LegacyRows}.
 */
final class SymmetricLegacyCodec extends LegacyCodec {
    private final int nmax;

    SymmetricLegacyCodec(DType type) {
        super(type, DType.Q4_0, DType.Q5_0, 2);
        this.nmax = type == DType.Q4_0 ? 8 : 16;
    }

    @Override
    public void encode(float[] row, int xOff, int n, float[] qw, byte[] out, int off) {
        if (qw == null) {
            LegacyRows.create().symmetric(bits, row, xOff, n, out, off);
            return;
        }
        // quantize_row_q{4,5}_0_impl: every block's make_qx_quants in one batch
        float[] x = xOff == 0 ? row : Arrays.copyOfRange(row, xOff, xOff + n);
        int nb = n / QK;
        byte[] q = new byte[n];
        float[] scales = new float[nb];
        QxBatch.create(QK).make(nb, nmax, x, 0, LegacyBlocks.weights(x, n, qw), 0, q, 0, scales, 0);
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            LittleEndian.putHalf(out, o, scales[c / QK]);
            storeLevels(q, c, out, o);
        }
    }

    /** Without importance the reference encoder restores the row itself (Q4_0's default path). */
    @Override
    public boolean encodeRestoring(float[] row, int xOff, int n, float[] qw, byte[] out, int off, float[] restored) {
        if (qw != null) {
            return false;
        }
        LegacyRows.create().symmetric(bits, row, xOff, n, out, off, restored, 0);
        return true;
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            float d = LittleEndian.getHalf(in, o);
            int qh = highBits(in, o);
            for (int j = 0; j < QK / 2; j++) {
                int q0 = level(in, o, qh, j);
                int q1 = level(in, o, qh, j + 16);
                y[yOff + c + j] = (q0 - nmax) * d;
                y[yOff + c + j + 16] = (q1 - nmax) * d;
            }
        }
    }
}
