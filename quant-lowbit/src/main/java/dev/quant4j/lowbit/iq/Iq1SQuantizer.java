package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Iq1SplitSearch;
import dev.quant4j.kernels.Rounding;
import dev.quant4j.lowbit.tables.Iq1sTables;

/**
 * IQ1_S (1.5625 bpw): 32-value sub-blocks of ternary values shifted by ±δ, groups of 8 on the 2048-entry
 * codebook, 3-bit scales (spec §8.2, §8.8). The levels come from an exhaustive search over the two split
 * points of the sorted values ({@link Iq1SplitSearch}, sixteen sub-blocks side by side). Needs importance weights.
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
        Iq1SplitSearch splits = Iq1SplitSearch.create(32, X_P, X_M);
        // a group: LANES sub-blocks (two super-blocks), prepared one by one, split-searched side by side
        int lanes = Iq1SplitSearch.LANES;
        float[] weight = new float[32 * lanes];
        float[] max = new float[lanes];
        int[] order = new int[32];
        int[] orders = new int[32 * lanes];
        float[] sumx = new float[lanes * 33];
        float[] sumw = new float[lanes * 33];
        int[] i1 = new int[lanes];
        int[] i2 = new int[lanes];
        int[] shift = new int[lanes];
        float[] splitScale = new float[lanes];
        byte[] levels = new byte[32];
        int[] index = new int[4];
        float[] scales = new float[lanes];
        int[] shifts = new int[lanes];
        int[] qh = new int[lanes];
        int subBlocks = n / 32;
        for (int s0 = 0; s0 < subBlocks; s0 += lanes) {
            int count = Math.min(lanes, subBlocks - s0);
            float sigma2 = 0;
            for (int l = 0; l < count; l++) {
                int xb = 32 * (s0 + l);
                if (l % 8 == 0) {
                    sigma2 = 2 * IqMath.sumSquares(x, xb, QK) / QK;
                }
                IqMath.importanceWeights(x, xb, qw, xb, sigma2, weight, 32 * l, 32);
                float m = Math.abs(x[xb]);
                for (int i = 1; i < 32; i++) {
                    m = Rounding.cmax(m, Math.abs(x[xb + i]));
                }
                max[l] = m;
                if (m >= EPS) {
                    Iq1Split.sortAscending(x, xb, 32, order);
                    System.arraycopy(order, 0, orders, 32 * l, 32);
                    prefixSums(x, xb, weight, 32 * l, order, sumx, sumw, l);
                }
            }
            splits.search(count, sumx, sumw, i1, i2, shift, splitScale);
            for (int l = 0; l < count; l++) {
                int xb = 32 * (s0 + l);
                int o = outOffset + (s0 + l) / 8 * BLOCK_BYTES;
                int ib = (s0 + l) % 8;
                if (ib == 0) {
                    java.util.Arrays.fill(out, o, o + BLOCK_BYTES, (byte) 0);
                }
                scales[l] = 0;
                shifts[l] = 1;
                qh[l] = 0;
                if (max[l] < EPS || shift[l] == 0) {
                    continue;
                }
                float scale = splitScale[l];
                int bestShift = shift[l];
                int wo = 32 * l;
                for (int j = 0; j < 32; j++) {
                    order[j] = orders[wo + j];
                }
                Iq1Split.levelsFromSplit(order, 32, i1[l], i2[l], levels);
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
                        e = search.bestNeighbourIq1(u, x, xb + 8 * k, weight, wo + 8 * k, scale, xx, levels, 8 * k);
                    }
                    index[k] = e;
                }
                if (!allOnGrid) {
                    float sumqx = 0;
                    float sumq2 = 0;
                    for (int k = 0; k < 4; k++) {
                        int c = cb.codes[index[k]];
                        for (int j = 0; j < 8; j++) {
                            float w = weight[wo + 8 * k + j];
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
                qh[l] = h;
                scales[l] = scale;
                shifts[l] = bestShift;
            }
            for (int l = 0; l < count; l += 8) {
                finishBlock(out, outOffset + (s0 + l) / 8 * BLOCK_BYTES, scales, shifts, qh, l);
            }
        }
    }

    /** Prefix sums {@code Σ w·x}, {@code Σ w} of the sorted values into lane l of the split search's arrays. */
    private static void prefixSums(float[] x, int xb, float[] weight, int wo, int[] order, float[] sumx,
                                   float[] sumw, int l) {
        int lanes = Iq1SplitSearch.LANES;
        float sx = 0;
        float sw = 0;
        sumx[l] = 0;
        sumw[l] = 0;
        for (int j = 0; j < 32; j++) {
            int i = order[j];
            sx = sx + weight[wo + i] * x[xb + i];
            sw = sw + weight[wo + i];
            sumx[lanes * (j + 1) + l] = sx;
            sumw[lanes * (j + 1) + l] = sw;
        }
    }

    /** The super-block scale and the 3-bit sub-block scales of the 8 sub-blocks at {@code scales[from ..]}. */
    private static void finishBlock(byte[] out, int o, float[] scales, int[] shifts, int[] qh, int from) {
        float maxScale = 0;
        for (int ib = 0; ib < 8; ib++) {
            maxScale = Rounding.cmax(maxScale, scales[from + ib]);
        }
        if (maxScale == 0) {
            return;
        }
        float d = maxScale / 15;
        IqMath.put16(out, o, Half.fp16(d * 1.125f));
        float id = 1 / d;
        for (int ib = 0; ib < 8; ib++) {
            int l = IqMath.scaleCode(id, scales[from + ib], 7);
            if (shifts[from + ib] == -1) {
                l |= 8;
            }
            IqMath.put16(out, o + 34 + 2 * ib, qh[from + ib] | l << 12);
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
