package dev.quant4j.lowbit.iq;

import static dev.quant4j.lowbit.iq.Iq1SQuantizer.DELTA;
import static dev.quant4j.lowbit.iq.Iq1SQuantizer.X_M;
import static dev.quant4j.lowbit.iq.Iq1SQuantizer.X_P;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;
import dev.quant4j.lowbit.tables.Iq1sTables;

/**
 * IQ1_M (1.75 bpw): 16-value sub-blocks of two groups of 8 with independent ±δ shifts on the IQ1_S codebook,
 * 3-bit scales and the fp16 super-scale spread over the scale words' top nibbles (spec §8.2, §8.9).
 * Falls back to {@code x²} weights without importance.
 */
final class Iq1MQuantizer extends RowQuantizer {
    private static final int QK = 256;
    private static final int BLOCK_BYTES = 56;
    private static final float EPS = 1e-7f;
    private static final int[] SHIFT_MASKS = {0x00, 0x80, 0x08, 0x88};

    Iq1MQuantizer() {
        super(DType.IQ1_M);
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] qw, byte[] out, int outOffset) {
        Codebook cb = Codebook.iq1s();
        GridSearch search = new GridSearch(cb);
        float[] weight = new float[QK];
        int[] order = new int[16];
        byte[] levels = new byte[16];
        Iq1MSplit split = new Iq1MSplit();
        int[] index = new int[2];
        float[] scales = new float[16];
        int[] shifts = new int[16];
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int xo = ibl * QK;
            int o = outOffset + ibl * BLOCK_BYTES;
            java.util.Arrays.fill(out, o, o + BLOCK_BYTES, (byte) 0);
            float maxScale = 0;
            float sigma2 = 2 * IqMath.sumSquares(x, xo, QK) / QK;
            if (qw != null) {
                IqMath.importanceWeights(x, xo, qw, xo, sigma2, weight, QK);
            } else {
                IqMath.squareWeights(x, xo, weight, QK);
            }
            for (int ib = 0; ib < 16; ib++) {
                int xb = xo + 16 * ib;
                int wb = 16 * ib;
                scales[ib] = 0;
                shifts[ib] = 0;
                float max = Math.abs(x[xb]);
                for (int i = 1; i < 16; i++) {
                    max = Rounding.cmax(max, Math.abs(x[xb + i]));
                }
                if (max < EPS) {
                    continue;
                }
                Iq1Split.sortAscending(x, xb, 16, order);
                if (!split.search(x, xb, weight, wb, order, max)) {
                    continue;
                }
                float scale = split.scale;
                int bestK = split.bestK;
                Iq1Split.levelsFromSplit(order, 16, split.bestI1, split.bestI2, levels);
                if (scale < 0) {
                    for (int j = 0; j < 16; j++) {
                        levels[j] = (byte) (2 - levels[j]);
                    }
                    scale = -scale;
                    bestK = 3 - bestK;
                }
                boolean allOnGrid = true;
                for (int k = 0; k < 2; k++) {
                    float[] xx = shiftTable(bestK, k);
                    int u = Iq1Split.code(levels, 8 * k);
                    int e = cb.map[u];
                    if (e < 0) {
                        allOnGrid = false;
                        e = search.bestNeighbourIq1(u, x, xb + 8 * k, weight, wb + 8 * k, scale, xx, levels, 8 * k);
                    }
                    index[k] = e;
                }
                if (!allOnGrid) {
                    float sx = 0;
                    float s2 = 0;
                    for (int k = 0; k < 2; k++) {
                        float[] xx = shiftTable(bestK, k);
                        int c = cb.codes[index[k]];
                        for (int j = 0; j < 8; j++) {
                            float w = weight[wb + 8 * k + j];
                            float q = xx[(c >>> (2 * j)) & 3];
                            sx += w * q * x[xb + 8 * k + j];
                            s2 += w * q * q;
                        }
                    }
                    if (sx > 0 && s2 > 0) {
                        scale = sx / s2;
                    }
                }
                out[o + 2 * ib] = (byte) index[0];
                out[o + 2 * ib + 1] = (byte) index[1];
                out[o + 32 + ib] = (byte) ((index[0] >>> 8) | (index[1] >>> 8) << 4);
                scales[ib] = scale;
                shifts[ib] = bestK;
                maxScale = Rounding.cmax(maxScale, scale);
            }
            if (maxScale == 0) {
                continue;
            }
            finishBlock(cb, x, xo, weight, scales, shifts, maxScale, out, o);
        }
    }

    /** Shift values of group {@code g} (0, 1) under pattern k: 0 (+,+), 1 (+,−), 2 (−,+), 3 (−,−). */
    private static float[] shiftTable(int k, int g) {
        boolean plus = g == 0 ? k < 2 : k % 2 == 0;
        return plus ? X_P : X_M;
    }

    /** Scale codes, shift bits and the refitted fp16 super-scale in the scale words' top nibbles. */
    private static void finishBlock(Codebook cb, float[] x, int xo, float[] weight, float[] scales, int[] shifts,
                                    float maxScale, byte[] out, int o) {
        float d = maxScale / 15;
        float id = 1 / d;
        int[] sc = new int[4];
        float sumqx = 0;
        float sumq2 = 0;
        for (int ib = 0; ib < 16; ib++) {
            int l = IqMath.scaleCode(id, scales[ib], 7);
            sc[ib / 4] |= l << (3 * (ib % 4));
            out[o + 32 + ib] |= (byte) SHIFT_MASKS[shifts[ib]];
            int qh = out[o + 32 + ib] & 0xFF;
            for (int k = 0; k < 2; k++) {
                float[] xx = shiftTable(shifts[ib], k);
                int e = (out[o + 2 * ib + k] & 0xFF) + ((qh << (8 - 4 * k)) & 0x700);
                int c = cb.codes[e];
                for (int j = 0; j < 8; j++) {
                    int i = 16 * ib + 8 * k + j;
                    float w = weight[i];
                    float q = xx[(c >>> (2 * j)) & 3] * (2 * l + 1);
                    sumqx += w * q * x[xo + i];
                    sumq2 += w * q * q;
                }
            }
        }
        if (sumq2 > 0) {
            d = sumqx / sumq2;
        }
        int s = Half.fp16(d * 1.1125f) & 0xFFFF;
        sc[0] |= (s & 0x000F) << 12;
        sc[1] |= (s & 0x00F0) << 8;
        sc[2] |= (s & 0x0F00) << 4;
        sc[3] |= s & 0xF000;
        for (int t = 0; t < 4; t++) {
            IqMath.put16(out, o + 48 + 2 * t, sc[t]);
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        int y = dstOffset;
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int o = srcOffset + ibl * BLOCK_BYTES;
            int[] sc = new int[4];
            for (int t = 0; t < 4; t++) {
                sc[t] = IqMath.le16(src, o + 48 + 2 * t);
            }
            int bits = (sc[0] >>> 12) | ((sc[1] >>> 8) & 0x00F0) | ((sc[2] >>> 4) & 0x0F00) | (sc[3] & 0xF000);
            float d = Half.f32((short) bits);
            for (int ib = 0; ib < 16; ib++) {
                int s3 = (sc[ib / 4] >>> (3 * (ib % 4))) & 7;
                float dl = d * (2 * s3 + 1);
                int qh = src[o + 32 + ib] & 0xFF;
                for (int k = 0; k < 2; k++) {
                    int e = (src[o + 2 * ib + k] & 0xFF) | ((qh << (8 - 4 * k)) & 0x700);
                    float delta = (qh & (k == 0 ? 0x08 : 0x80)) != 0 ? -DELTA : DELTA;
                    long grid = Iq1sTables.grid(e);
                    for (int j = 0; j < 8; j++) {
                        dst[y++] = dl * ((byte) (grid >>> (8 * j)) + delta);
                    }
                }
            }
        }
    }
}
