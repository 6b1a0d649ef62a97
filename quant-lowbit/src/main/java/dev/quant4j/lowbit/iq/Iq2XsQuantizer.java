package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Params;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Refit;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Weighting;
import dev.quant4j.lowbit.tables.Iq2xsTables;
import dev.quant4j.lowbit.tables.SignTables;

/**
 * IQ2_XS (2.3125 bpw): 16-value sub-blocks of two groups of 8 on the 512-entry 2-bit codebook, parity-coded
 * signs, 4-bit sub-block scales (spec §8.2, §8.4). Needs importance weights.
 */
final class Iq2XsQuantizer extends RowQuantizer {
    private static final int QK = 256;
    private static final int BLOCK_BYTES = 74;
    /** The sub-block search constants (spec §8.4). */
    private static final Params SEARCH = new Params(16, 1, Weighting.IMPORTANCE, 1e-15f, false, 9, 0.1f, 7,
            Refit.OFF_GRID_GROUPS);

    Iq2XsQuantizer() {
        super(DType.IQ2_XS);
    }

    @Override
    protected boolean requiresImportance() {
        return true;
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] qw, byte[] out, int outOffset) {
        SubBlockScaleSearch s = new SubBlockScaleSearch(Codebook.iq2xs(), SEARCH);
        float[] scales = new float[16];
        int[] q2 = new int[32];
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int xo = ibl * QK;
            java.util.Arrays.fill(q2, 0);
            float maxScale = 0;
            float sigma2 = s.sigma2(x, xo);
            for (int ib = 0; ib < 16; ib++) {
                scales[ib] = 0;
                if (!s.fit(x, xo + 16 * ib, qw, sigma2)) {
                    continue;
                }
                for (int k = 0; k < 2; k++) {
                    q2[2 * ib + k] = s.grid.entryOf(s.levels, 8 * k) | s.signs[k] << 9;
                }
                scales[ib] = s.scale;
                maxScale = Rounding.cmax(maxScale, s.scale);
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
