package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.Q3Batch;
import dev.quant4j.kernels.QuarterPacking;
import dev.quant4j.kernels.Requantize;
import dev.quant4j.kernels.QxBatch;
import dev.quant4j.kernels.QxQuants;
import dev.quant4j.kernels.Rounding;

/**
 * Q3_K (spec section 4.2): 256-value super-blocks of sixteen 16-value sub-blocks with signed 6-bit scales;
 * layout {@code hmask[32] qs[64] scales[12] d}.
 */
final class Q3_KCodec implements RowCodec {
    private static final int QK = 256;
    private static final int BYTES = 110;
    private static final int HMASK = 0;
    private static final int QS = 32;
    private static final int SCALES = 96;
    private static final int D = 108;
    /** Each worker thread's search scratch (a few KB, reused for every row). */
    private final ThreadLocal<Q3Batch> search = ThreadLocal.withInitial(() -> Q3Batch.create(16));

    @Override
    public DType type() {
        return DType.Q3_K;
    }

    @Override
    public boolean usesImportance() {
        return true;
    }

    @Override
    public void encode(float[] x, int n, float[] qw, byte[] out, int off) {
        int nsub = n / 16;
        byte[] L = new byte[n];
        float[] scales = new float[nsub];
        float[] sw = null;
        if (qw == null) {
            search.get().make(nsub, 4, x, 0, L, 0, scales, 0);
        } else {
            float[] weight = new float[n];
            sw = new float[nsub];
            importanceWeights(x, n, qw, weight, sw);
            QxBatch.create(16).make(nsub, 4, x, 0, weight, 0, L, 0, scales, 0);
        }
        byte[] ls = new byte[16];
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            java.util.Arrays.fill(out, o, o + BYTES, (byte) 0);
            if (qw == null) {
                referenceScales(scales, c / 16, out, o);
            } else {
                // quantize_row_q3_K_impl step 3: the sixteen scales fitted to 6 bits by make_qx_quants
                float dBlock = QxQuants.make(16, 32, scales, c / 16, sw, c / 16, ls, 0);
                for (int j = 0; j < 16; j++) {
                    putScale(out, o, j, ls[j]);
                }
                LittleEndian.putHalf(out, o + D, dBlock);
            }
            requantize(x, c, L, out, o);
        }
    }

    /** quantize_row_q3_K_ref step 2: the sub-block scales as 6-bit levels relative to the largest. */
    private static void referenceScales(float[] scales, int j0, byte[] out, int o) {
        float amax = 0;
        float maxScale = 0;
        for (int j = j0; j < j0 + 16; j++) {
            if (Math.abs(scales[j]) > amax) {
                amax = Math.abs(scales[j]);
                maxScale = scales[j];
            }
        }
        if (maxScale != 0) {
            float iscale = -32f / maxScale;
            for (int j = 0; j < 16; j++) {
                int l = (byte) Rounding.nearestInt(iscale * scales[j0 + j]);
                putScale(out, o, j, Rounding.clamp(l, -32, 31) + 32);
            }
            LittleEndian.putHalf(out, o + D, 1 / iscale);
        } else {
            LittleEndian.putHalf(out, o + D, 0f);
        }
    }

    /** Importance weights {@code qw * sqrt(sigma2 + x^2)}, sigma2 = twice the super-block's mean x^2; sums per 16. */
    private static void importanceWeights(float[] x, int n, float[] qw, float[] weight, float[] sw) {
        for (int c = 0; c < n; c += QK) {
            float sumx2 = 0;
            for (int j = 0; j < QK; j++) {
                sumx2 += x[c + j] * x[c + j];
            }
            float sigma2 = 2 * sumx2 / QK;
            for (int j = c / 16; j < c / 16 + 16; j++) {
                float sumw = 0;
                for (int l = 16 * j; l < 16 * j + 16; l++) {
                    weight[l] = qw[l] * (float) Math.sqrt(sigma2 + x[l] * x[l]);
                    sumw += weight[l];
                }
                sw[j] = sumw;
            }
        }
    }

    /** Steps 3-5 shared by both paths: levels from the stored scales, high bits into hmask, low bits packed. */
    private static void requantize(float[] x, int c, byte[] L, byte[] out, int o) {
        float d = LittleEndian.getHalf(out, o + D);
        for (int j = 0; j < 16; j++) {
            float dj = d * (scale(out, o, j) - 32);
            if (dj == 0) {
                continue;
            }
            Requantize.symmetric(x, c + 16 * j, 16, dj, -4, 3, 4, L, c + 16 * j);
        }
        // levels are 0..7: bit 2 goes to hmask (element e: byte e % 32, bit e / 32), the low two bits to qs;
        // gathered per hmask byte without branches (which level is above 3 is unpredictable)
        for (int l = 0; l < 32; l++) {
            int bits = 0;
            for (int k = 0; k < 8; k++) {
                bits |= (L[c + 32 * k + l] >> 2 & 1) << k;
            }
            out[o + HMASK + l] = (byte) bits;
        }
        QuarterPacking.pack(L, c, out, o + QS);
    }

    /** Stores the biased 6-bit scale {@code v} (0..63) of sub-block {@code j}; the 12 bytes start zeroed. */
    private static void putScale(byte[] out, int o, int j, int v) {
        int s = o + SCALES;
        if (j < 8) {
            out[s + j] |= (byte) (v & 15);
        } else {
            out[s + j - 8] |= (byte) ((v & 15) << 4);
        }
        out[s + 8 + (j & 3)] |= (byte) (((v >> 4) & 3) << (2 * (j >> 2)));
    }

    /** The biased 6-bit scale (0..63) of sub-block {@code j}. */
    private static int scale(byte[] in, int o, int j) {
        int s = o + SCALES;
        int low = j < 8 ? in[s + j] & 15 : (in[s + j - 8] & 0xFF) >> 4;
        return low | ((in[s + 8 + (j & 3)] >> (2 * (j >> 2))) & 3) << 4;
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            float d = LittleEndian.getHalf(in, o + D);
            for (int j = 0; j < 16; j++) {
                float dl = d * (scale(in, o, j) - 32);
                int e0 = 16 * j;
                // the sub-block's 16 elements share their qs bit pair and their hmask bit
                int qs = o + QS + 32 * (e0 >> 7) + (e0 & 31);
                int shift = 2 * ((e0 >> 5) & 3);
                int hm = o + HMASK + (e0 & 31);
                int hshift = e0 >> 5;
                int yb = yOff + c + e0;
                for (int i = 0; i < 16; i++) {
                    int q = (in[qs + i] >> shift & 3) - 4 + 4 * (in[hm + i] >> hshift & 1);
                    y[yb + i] = dl * q;
                }
            }
        }
    }
}
