package dev.quant4j.lowbit.iq;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Params;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Refit;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Weighting;
import dev.quant4j.lowbit.tables.Iq3xxsTables;
import dev.quant4j.lowbit.tables.SignTables;

/**
 * IQ3_XXS (3.0625 bpw): 32-value sub-blocks, groups of 4 on the 256-entry 3-bit codebook, parity-coded signs
 * per group of 8, 4-bit scales (spec §8.2, §8.6). Falls back to {@code x²} weights without importance.
 */
final class Iq3XxsQuantizer extends GridQuantizer {
    /** The sub-block search constants (spec §8.6). */
    private static final Params SEARCH = new Params(32, 2, Weighting.IMPORTANCE_OR_SQUARES, 1e-8f, false, 15, 0.2f, 7,
            Refit.OFF_GRID_GROUPS);

    Iq3XxsQuantizer() {
        super(DType.IQ3_XXS, Codebook::iq3xxs, SEARCH, 1.0125f, false);
    }

    /** Grid indices at {@code 8·ib + k}; the sub-block's word holds the 4 sign7 fields and the scale code. */
    @Override
    void storeSubBlock(SubBlockScaleSearch s, byte[] out, int o, int ib, int slot) {
        for (int k = 0; k < 8; k++) {
            out[o + 2 + 8 * ib + k] = (byte) s.entry(k);
        }
        IqMath.put32(out, o + 66 + 4 * ib, packSigns7(s.signs));
    }

    @Override
    void storeScales(byte[] out, int o, float id, float[] scales) {
        putScaleTopBits(out, o + 66, 4, id, scales);
    }

    @Override
    void decodeBlock(byte[] src, int o, float d, float[] dst, int y) {
        for (int ib = 0; ib < 8; ib++) {
            int aux = IqMath.le32(src, o + 66 + 4 * ib);
            float db = d * (0.5f + (aux >>> 28)) * 0.5f;
            for (int l = 0; l < 4; l++) {
                int signs = SignTables.ksigns((aux >>> (7 * l)) & 127);
                int g1 = Iq3xxsTables.grid(src[o + 2 + 8 * ib + 2 * l] & 0xFF);
                int g2 = Iq3xxsTables.grid(src[o + 2 + 8 * ib + 2 * l + 1] & 0xFF);
                decode4x2(dst, y, db, g1, g2, signs);
                y += 8;
            }
        }
    }
}
