package dev.quant4j.lowbit.kquant;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.QkxBatch;
import dev.quant4j.kernels.QpQuants;
import dev.quant4j.kernels.QuarterPacking;
import dev.quant4j.kernels.Requantize;
import dev.quant4j.kernels.Rounding;

/**
 * Q2_K rows (spec section 4.1): 256-value super-blocks of sixteen 16-value sub-blocks, each with a 4-bit scale
 * and 4-bit min under fp16 {@code d} and {@code dmin}; 2-bit levels in the four-quarter packing.
 * Layout: {@code scales[16] qs[64] d dmin}.
 */
final class Q2KQuantizer extends RowQuantizer {
    private static final int QK = 256;
    private static final int BYTES = 84;
    private static final int QS = 16;
    private static final int D = 80;
    private static final int DMIN = 82;
    /** Each worker thread's search scratch (a few KB, reused for every row). */
    private final ThreadLocal<QkxBatch> searches = ThreadLocal.withInitial(() -> QkxBatch.create(16));

    Q2KQuantizer() {
        super(DType.Q2_K);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] qw, byte[] out, int off) {
        int nsub = n / 16;
        byte[] L = new byte[n];
        float[] weights = new float[n];
        float[] scales = new float[nsub];
        float[] mins = new float[nsub];
        // every sub-block search of the row in one batch
        QkxBatch search = searches.get();
        if (qw == null) {
            for (int i = 0; i < n; i++) {
                weights[i] = Math.abs(x[i]);
            }
            search.make(nsub, 3, x, 0, weights, 0, -0.5f, 0.1f, 15, true, false, L, 0, scales, mins, 0);
        } else {
            importanceWeights(x, n, qw, weights);
            search.make(nsub, 3, x, 0, weights, 0, -0.9f, 0.05f, 36, false, true, L, 0, scales, mins, 0);
        }
        float[] sw = new float[16];
        byte[] ls = new byte[16];
        byte[] lm = new byte[16];
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            if (qw == null) {
                referenceScales(scales, mins, c / 16, out, o);
            } else {
                for (int j = 0; j < 16; j++) {
                    float sum = 0;
                    for (int l = 0; l < 16; l++) {
                        sum += weights[c + 16 * j + l];
                    }
                    sw[j] = sum;
                }
                weightedScales(scales, mins, c / 16, sw, ls, lm, out, o);
            }
            requantize(x, c, L, out, o);
        }
    }

    /** quantize_row_q2_K_impl weights: {@code qw * sqrt(sigma2 + x^2)}, sigma2 = the super-block's mean x^2. */
    private static void importanceWeights(float[] x, int n, float[] qw, float[] weights) {
        for (int c = 0; c < n; c += QK) {
            float sumX2 = 0;
            for (int j = 0; j < QK; j++) {
                sumX2 += x[c + j] * x[c + j];
            }
            float sigma2 = sumX2 / QK;
            for (int l = c; l < c + QK; l++) {
                weights[l] = qw[l] * (float) Math.sqrt(sigma2 + x[l] * x[l]);
            }
        }
    }

    /** quantize_row_q2_K_ref steps 2-3: 4-bit scales and mins relative to their maxima. */
    private static void referenceScales(float[] scales, float[] mins, int j0, byte[] out, int o) {
        float maxScale = 0;
        float maxMin = 0;
        for (int j = j0; j < j0 + 16; j++) {
            if (scales[j] > maxScale) {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin) {
                maxMin = mins[j];
            }
        }
        if (maxScale > 0) {
            float iscale = 15f / maxScale;
            for (int j = 0; j < 16; j++) {
                out[o + j] = (byte) Rounding.nearestInt(iscale * scales[j0 + j]);
            }
            LittleEndian.putHalf(out, o + D, maxScale / 15f);
        } else {
            java.util.Arrays.fill(out, o, o + 16, (byte) 0);
            LittleEndian.putHalf(out, o + D, 0f);
        }
        if (maxMin > 0) {
            float iscale = 15f / maxMin;
            for (int j = 0; j < 16; j++) {
                out[o + j] |= (byte) (Rounding.nearestInt(iscale * mins[j0 + j]) << 4);
            }
            LittleEndian.putHalf(out, o + DMIN, maxMin / 15f);
        } else {
            LittleEndian.putHalf(out, o + DMIN, 0f);
        }
    }

    /** quantize_row_q2_K_impl steps 3-4: scales and mins fitted to 4 bits by make_qp_quants. */
    private static void weightedScales(float[] scales, float[] mins, int j0, float[] sw, byte[] ls, byte[] lm,
                                       byte[] out, int o) {
        float dm = QpQuants.make(16, 15, scales, j0, sw, 0, ls, 0);
        float mm = QpQuants.make(16, 15, mins, j0, sw, 0, lm, 0);
        LittleEndian.putHalf(out, o + D, dm);
        LittleEndian.putHalf(out, o + DMIN, mm);
        for (int j = 0; j < 16; j++) {
            out[o + j] = (byte) (ls[j] | lm[j] << 4);
        }
    }

    /** Step 4-5 of both paths: levels from the stored 4-bit scales and mins, then the 2-bit packing. */
    private static void requantize(float[] x, int c, byte[] L, byte[] out, int o) {
        float d = LittleEndian.getHalf(out, o + D);
        float dmin = LittleEndian.getHalf(out, o + DMIN);
        for (int j = 0; j < 16; j++) {
            int sc = out[o + j] & 0xFF;
            float dj = d * (sc & 15);
            if (dj == 0) {
                continue;
            }
            float mj = dmin * (sc >> 4);
            Requantize.affine(x, c + 16 * j, 16, mj, dj, 3, L, c + 16 * j);
        }
        QuarterPacking.pack(L, c, out, o + QS);
    }

    @Override
    protected void dequantizeRow(byte[] in, int off, float[] y, int yOff, int n) {
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            float d = LittleEndian.getHalf(in, o + D);
            float dmin = LittleEndian.getHalf(in, o + DMIN);
            for (int j = 0; j < 16; j++) {
                int sc = in[o + j] & 0xFF;
                float dl = d * (sc & 15);
                float ml = dmin * (sc >> 4);
                int e0 = 16 * j;
                // the sub-block's 16 elements share their bit pair (QuarterPacking's layout)
                int qs = o + QS + 32 * (e0 >> 7) + (e0 & 31);
                int shift = 2 * ((e0 >> 5) & 3);
                int yb = yOff + c + e0;
                for (int i = 0; i < 16; i++) {
                    y[yb + i] = dl * (in[qs + i] >> shift & 3) - ml;
                }
            }
        }
    }
}
