package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Params;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Refit;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Weighting;
import dev.quant4j.lowbit.tables.Iq2xxsTables;
import dev.quant4j.lowbit.tables.SignTables;

/**
 * IQ2_XXS (2.0625 bpw): 256-value super-blocks of eight 32-value records, groups of 8 on the 256-entry
 * 2-bit codebook with parity-coded signs (spec §8.2, §8.3). Needs importance weights.
 */
final class Iq2XxsQuantizer extends RowQuantizer {
    private static final int QK = 256;
    private static final int BLOCK_BYTES = 66;
    /** The sub-block search constants (spec §8.3). */
    private static final Params SEARCH = new Params(32, 1, Weighting.IMPORTANCE, 1e-15f, true, 6, 0.1f, 7,
            Refit.ALL_GROUPS);

    Iq2XxsQuantizer() {
        super(DType.IQ2_XXS);
    }

    @Override
    protected boolean requiresImportance() {
        return true;
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] qw, byte[] out, int outOffset) {
        SubBlockScaleSearch s = new SubBlockScaleSearch(Codebook.iq2xxs(), SEARCH);
        float[] scales = new float[8];
        int[] q2 = new int[16];
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int xo = ibl * QK;
            java.util.Arrays.fill(q2, 0);
            float maxScale = 0;
            float sigma2 = s.sigma2(x, xo);
            for (int ib = 0; ib < 8; ib++) {
                scales[ib] = 0;
                if (!s.fit(x, xo + 32 * ib, qw, sigma2)) {
                    continue;
                }
                for (int k = 0; k < 4; k++) {
                    q2[2 * ib] |= s.grid.entryOf(s.levels, 8 * k) << (8 * k);
                    q2[2 * ib + 1] |= s.signs[k] << (7 * k);
                }
                scales[ib] = s.scale;
                maxScale = Rounding.cmax(maxScale, s.scale);
            }
            int o = outOffset + ibl * BLOCK_BYTES;
            if (maxScale == 0) {
                java.util.Arrays.fill(out, o, o + BLOCK_BYTES, (byte) 0);
                continue;
            }
            float d = maxScale / 31;
            IqMath.put16(out, o, Half.fp16(d));
            float id = 1 / d;
            for (int ib = 0; ib < 8; ib++) {
                q2[2 * ib + 1] |= IqMath.scaleCode(id, scales[ib], 15) << 28;
            }
            for (int i = 0; i < 16; i++) {
                IqMath.put32(out, o + 2 + 4 * i, q2[i]);
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
                int idx = IqMath.le32(src, o + 2 + 8 * ib);
                int aux = IqMath.le32(src, o + 6 + 8 * ib);
                float db = d * (0.5f + (aux >>> 28)) * 0.25f;
                for (int l = 0; l < 4; l++) {
                    long grid = Iq2xxsTables.grid((idx >>> (8 * l)) & 255);
                    int signs = SignTables.ksigns((aux >>> (7 * l)) & 127);
                    for (int j = 0; j < 8; j++) {
                        float g = (grid >>> (8 * j)) & 255;
                        dst[y++] = db * g * ((signs & SignTables.kmask(j)) != 0 ? -1f : 1f);
                    }
                }
            }
        }
    }
}
