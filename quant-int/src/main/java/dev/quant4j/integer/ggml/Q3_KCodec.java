package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.Q3Quants;
import dev.quant4j.kernels.QuarterPacking;
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
        byte[] L = new byte[QK];
        float[] scales = new float[16];
        float[] weight = qw == null ? null : new float[QK];
        float[] sw = qw == null ? null : new float[16];
        byte[] ls = qw == null ? null : new byte[16];
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            java.util.Arrays.fill(out, o, o + BYTES, (byte) 0);
            if (qw == null) {
                referenceScales(x, c, L, scales, out, o);
            } else {
                weightedScales(x, c, qw, L, scales, weight, sw, ls, out, o);
            }
            requantize(x, c, L, out, o);
        }
    }

    /** quantize_row_q3_K_ref steps 1-2: sub-block scales by make_q3_quants, packed relative to the largest. */
    private static void referenceScales(float[] x, int c, byte[] L, float[] scales, byte[] out, int o) {
        float amax = 0;
        float maxScale = 0;
        for (int j = 0; j < 16; j++) {
            float s = Q3Quants.make(16, 4, x, c + 16 * j, L, 16 * j);
            scales[j] = s;
            if (Math.abs(s) > amax) {
                amax = Math.abs(s);
                maxScale = s;
            }
        }
        if (maxScale != 0) {
            float iscale = -32f / maxScale;
            for (int j = 0; j < 16; j++) {
                int l = (byte) Rounding.nearestInt(iscale * scales[j]);
                putScale(out, o, j, Rounding.clamp(l, -32, 31) + 32);
            }
            LittleEndian.putHalf(out, o + D, 1 / iscale);
        } else {
            LittleEndian.putHalf(out, o + D, 0f);
        }
    }

    /** quantize_row_q3_K_impl steps 1-3: weighted sub-block scales, their 6-bit levels fitted by make_qx_quants. */
    private static void weightedScales(float[] x, int c, float[] qw, byte[] L, float[] scales, float[] weight,
                                       float[] sw, byte[] ls, byte[] out, int o) {
        float sumx2 = 0;
        for (int j = 0; j < QK; j++) {
            sumx2 += x[c + j] * x[c + j];
        }
        float sigma2 = 2 * sumx2 / QK;
        for (int j = 0; j < 16; j++) {
            float sumw = 0;
            for (int l = 0; l < 16; l++) {
                int e = 16 * j + l;
                float v = x[c + e];
                weight[e] = qw[c + e] * (float) Math.sqrt(sigma2 + v * v);
                sumw += weight[e];
            }
            sw[j] = sumw;
            scales[j] = QxQuants.make(16, 4, x, c + 16 * j, weight, 16 * j, L, 16 * j);
        }
        float dBlock = QxQuants.make(16, 32, scales, 0, sw, 0, ls, 0);
        for (int j = 0; j < 16; j++) {
            putScale(out, o, j, ls[j]);
        }
        LittleEndian.putHalf(out, o + D, dBlock);
    }

    /** Steps 3-5 shared by both paths: levels from the stored scales, high bits into hmask, low bits packed. */
    private static void requantize(float[] x, int c, byte[] L, byte[] out, int o) {
        float d = LittleEndian.getHalf(out, o + D);
        for (int j = 0; j < 16; j++) {
            float dj = d * (scale(out, o, j) - 32);
            if (dj == 0) {
                continue;
            }
            for (int i = 0; i < 16; i++) {
                int l = Rounding.clamp(Rounding.nearestInt(x[c + 16 * j + i] / dj), -4, 3);
                L[16 * j + i] = (byte) (l + 4);
            }
        }
        for (int e = 0; e < QK; e++) {
            if (L[e] > 3) {
                out[o + HMASK + (e & 31)] |= (byte) (1 << (e >> 5));
                L[e] -= 4;
            }
        }
        QuarterPacking.pack(L, 0, out, o + QS);
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
            for (int e = 0; e < QK; e++) {
                int q = QuarterPacking.level(in, o + QS, e);
                boolean high = (in[o + HMASK + (e & 31)] >> (e >> 5) & 1) != 0;
                float dl = d * (scale(in, o, e >> 4) - 32);
                y[yOff + c + e] = dl * (q - (high ? 0 : 4));
            }
        }
    }
}
