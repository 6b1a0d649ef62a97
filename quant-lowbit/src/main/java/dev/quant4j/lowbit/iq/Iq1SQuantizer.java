package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;
import dev.quant4j.lowbit.tables.Iq1sTables;

/**
 * IQ1_S (1.5625 bpw): 32-value sub-blocks of ternary values shifted by ±δ, groups of 8 on the 2048-entry
 * codebook, 3-bit scales (spec §8.2, §8.8). The levels come from an exhaustive search over the two split
 * points of the sorted values ({@link Iq1SSplit}). Needs importance weights.
 */
final class Iq1SQuantizer extends RowQuantizer {
    static final float DELTA = 0.125f;
    static final float[] X_P = {-1 + DELTA, DELTA, 1 + DELTA};
    static final float[] X_M = {-1 - DELTA, -DELTA, 1 - DELTA};
    private static final int QK = 256;
    private static final int BLOCK_BYTES = 50;
    private static final float EPS = 1e-12f;

    Iq1SQuantizer() {
        super(DType.IQ1_S);
    }

    @Override
    protected boolean requiresImportance() {
        return true;
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] qw, byte[] out, int outOffset) {
        Codebook cb = Codebook.iq1s();
        GridSearch search = new GridSearch(cb);
        float[] weight = new float[32];
        Iq1SSplit split = new Iq1SSplit();
        int[] order = new int[32];
        byte[] levels = new byte[32];
        int[] index = new int[4];
        float[] scales = new float[8];
        int[] shifts = new int[8];
        int[] qh = new int[8];
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int xo = ibl * QK;
            int o = outOffset + ibl * BLOCK_BYTES;
            java.util.Arrays.fill(out, o, o + BLOCK_BYTES, (byte) 0);
            java.util.Arrays.fill(qh, 0);
            float maxScale = 0;
            float sigma2 = 2 * IqMath.sumSquares(x, xo, QK) / QK;
            for (int ib = 0; ib < 8; ib++) {
                int xb = xo + 32 * ib;
                IqMath.importanceWeights(x, xb, qw, xb, sigma2, weight, 32);
                scales[ib] = 0;
                shifts[ib] = 1;
                float max = Math.abs(x[xb]);
                for (int i = 1; i < 32; i++) {
                    max = Rounding.cmax(max, Math.abs(x[xb + i]));
                }
                if (max < EPS) {
                    continue;
                }
                Iq1Split.sortAscending(x, xb, 32, order);
                if (!split.search(x, xb, weight, order, max)) {
                    continue;
                }
                float scale = split.scale;
                int bestShift = split.bestShift;
                Iq1Split.levelsFromSplit(order, 32, split.bestI1, split.bestI2, levels);
                if (scale < 0) {
                    for (int j = 0; j < 32; j++) {
                        levels[j] = (byte) (2 - levels[j]);
                    }
                    scale = -scale;
                    bestShift = -bestShift;
                }
                float[] xx = bestShift == 1 ? X_P : X_M;
                boolean allOnGrid = true;
                for (int k = 0; k < 4; k++) {
                    int u = Iq1Split.code(levels, 8 * k);
                    int e = cb.map[u];
                    if (e < 0) {
                        allOnGrid = false;
                        e = search.bestNeighbourIq1(u, x, xb + 8 * k, weight, 8 * k, scale, xx, levels, 8 * k);
                    }
                    index[k] = e;
                }
                if (!allOnGrid) {
                    float sumqx = 0;
                    float sumq2 = 0;
                    for (int k = 0; k < 4; k++) {
                        int c = cb.codes[index[k]];
                        for (int j = 0; j < 8; j++) {
                            float w = weight[8 * k + j];
                            float q = xx[(c >>> (2 * j)) & 3];
                            sumqx += w * q * x[xb + 8 * k + j];
                            sumq2 += w * q * q;
                        }
                    }
                    if (sumqx > 0 && sumq2 > 0) {
                        scale = sumqx / sumq2;
                    }
                }
                int h = 0;
                for (int k = 0; k < 4; k++) {
                    out[o + 2 + 4 * ib + k] = (byte) index[k];
                    h |= (index[k] >>> 8) << (3 * k);
                }
                qh[ib] = h;
                scales[ib] = scale;
                shifts[ib] = bestShift;
                maxScale = Rounding.cmax(maxScale, scale);
            }
            if (maxScale == 0) {
                continue;
            }
            float d = maxScale / 15;
            IqMath.put16(out, o, Half.fp16(d * 1.125f));
            float id = 1 / d;
            for (int ib = 0; ib < 8; ib++) {
                int l = IqMath.scaleCode(id, scales[ib], 7);
                if (shifts[ib] == -1) {
                    l |= 8;
                }
                IqMath.put16(out, o + 34 + 2 * ib, qh[ib] | l << 12);
            }
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        int y = dstOffset;
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int o = srcOffset + ibl * BLOCK_BYTES;
            float d = Half.f32((short) IqMath.le16(src, o));
            for (int ib = 0; ib < 8; ib++) {
                int qh = IqMath.le16(src, o + 34 + 2 * ib);
                float dl = d * (2 * ((qh >>> 12) & 7) + 1);
                float delta = (qh & 0x8000) != 0 ? -DELTA : DELTA;
                for (int l = 0; l < 4; l++) {
                    long grid = Iq1sTables.grid((src[o + 2 + 4 * ib + l] & 0xFF) | ((qh >>> (3 * l)) & 7) << 8);
                    for (int j = 0; j < 8; j++) {
                        dst[y++] = dl * ((byte) (grid >>> (8 * j)) + delta);
                    }
                }
            }
        }
    }
}
