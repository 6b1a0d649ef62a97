package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;
import dev.quant4j.lowbit.tables.Iq2xsTables;
import dev.quant4j.lowbit.tables.SignTables;

/**
 * IQ2_XS (2.3125 bpw): 16-value sub-blocks of two groups of 8 on the 512-entry 2-bit codebook, parity-coded
 * signs, 4-bit sub-block scales (spec §8.2, §8.4). Needs importance weights.
 */
final class Iq2XsQuantizer extends RowQuantizer {
    private static final int QK = 256;
    private static final int BLOCK_BYTES = 74;
    private static final int KMAX = 3;
    private static final float EPS = 1e-15f;

    Iq2XsQuantizer() {
        super(DType.IQ2_XS);
    }

    @Override
    protected boolean requiresImportance() {
        return true;
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] qw, byte[] out, int outOffset) {
        LevelFit fit = new LevelFit(16, KMAX);
        GridSearch search = new GridSearch(Codebook.iq2xs());
        float[] weight = new float[16];
        float[] waux = new float[16];
        float[] xval = new float[16];
        float[] scales = new float[16];
        byte[] levels = new byte[16];
        byte[] aux = new byte[16];
        boolean[] onGrid = new boolean[2];
        boolean[] onGridAux = new boolean[2];
        int[] signs = new int[2];
        int[] q2 = new int[32];
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int xo = ibl * QK;
            java.util.Arrays.fill(q2, 0);
            float maxScale = 0;
            float sigma2 = IqMath.sumSquares(x, xo, QK) / QK;
            for (int ib = 0; ib < 16; ib++) {
                int xb = xo + 16 * ib;
                IqMath.importanceWeights(x, xb, qw, xb, sigma2, weight, 16);
                IqMath.sqrtOf(weight, waux, 16);
                for (int k = 0; k < 2; k++) {
                    signs[k] = IqMath.paritySigns(x, xb + 8 * k, weight, 8 * k, xval, 8 * k);
                }
                float max = IqMath.max(xval, 16);
                java.util.Arrays.fill(levels, (byte) 0);
                scales[ib] = 0;
                if (max < EPS) {
                    continue;
                }
                fit.prepare(weight, xval, 16, KMAX);
                float best = 0;
                float scale = max / (2 * KMAX - 1);
                onGrid[0] = onGrid[1] = true;
                for (int is = -9; is <= 9; is++) {
                    float id = (2 * KMAX - 1 + is * 0.1f) / max;
                    float thisScale = 1 / id;
                    search.snapAll(id, thisScale, xval, waux, 16, aux, onGridAux);
                    fit.sum(aux, 16);
                    float sumqx = fit.sumQx;
                    float sumq2 = fit.sumQ2;
                    if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                        scale = sumqx / sumq2;
                        best = scale * sumqx;
                        System.arraycopy(aux, 0, levels, 0, 16);
                        onGrid[0] = onGridAux[0];
                        onGrid[1] = onGridAux[1];
                    }
                }
                if ((!onGrid[0] || !onGrid[1]) && scale > 0) {
                    float id = 1 / scale;
                    for (int k = 0; k < 2; k++) {
                        if (!onGrid[k]) {
                            search.snap(id, scale, xval, waux, 8 * k, levels);
                        }
                    }
                    fit.sum(levels, 16);
                    float sumqx = fit.sumQx;
                    float sumq2 = fit.sumQ2;
                    if (sumq2 > 0) {
                        scale = sumqx / sumq2;
                    }
                }
                if (scale < 0) {
                    scale = -scale;
                    signs[0] = ~signs[0] & 127;
                    signs[1] = ~signs[1] & 127;
                }
                for (int k = 0; k < 2; k++) {
                    q2[2 * ib + k] = search.entryOf(levels, 8 * k) | signs[k] << 9;
                }
                scales[ib] = scale;
                maxScale = Rounding.cmax(maxScale, scale);
            }
            int o = outOffset + ibl * BLOCK_BYTES;
            java.util.Arrays.fill(out, o, o + BLOCK_BYTES, (byte) 0);
            if (maxScale == 0) {
                continue;
            }
            float d = maxScale / 31;
            IqMath.put16(out, o, Half.fp16(d));
            float id = 1 / d;
            for (int ib = 0; ib < 16; ib++) {
                out[o + 66 + ib / 2] |= (byte) (IqMath.scaleCode(id, scales[ib], 15) << (4 * (ib % 2)));
            }
            for (int i = 0; i < 32; i++) {
                IqMath.put16(out, o + 2 + 2 * i, q2[i]);
            }
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        int y = dstOffset;
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int o = srcOffset + ibl * BLOCK_BYTES;
            float d = Half.f32((short) IqMath.le16(src, o));
            for (int ib32 = 0; ib32 < 8; ib32++) {
                int sc = src[o + 66 + ib32] & 0xFF;
                float db0 = d * (0.5f + (sc & 0xF)) * 0.25f;
                float db1 = d * (0.5f + (sc >>> 4)) * 0.25f;
                for (int l = 0; l < 4; l++) {
                    int q = IqMath.le16(src, o + 2 + 2 * (4 * ib32 + l));
                    long grid = Iq2xsTables.grid(q & 511);
                    int signs = SignTables.ksigns(q >>> 9);
                    float db = l < 2 ? db0 : db1;
                    for (int j = 0; j < 8; j++) {
                        float g = (grid >>> (8 * j)) & 255;
                        dst[y++] = db * g * ((signs & SignTables.kmask(j)) != 0 ? -1f : 1f);
                    }
                }
            }
        }
    }
}
