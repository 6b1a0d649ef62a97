package dev.quant4j.lowbit.iq;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Params;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Refit;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Weighting;
import dev.quant4j.lowbit.tables.Iq2xxsTables;
import dev.quant4j.lowbit.tables.SignTables;

/**
 * IQ2_XXS (2.0625 bpw): 256-value super-blocks of eight 32-value records, groups of 8 on the 256-entry
 * 2-bit codebook with parity-coded signs (spec §8.2, §8.3). Needs importance weights.
 */
final class Iq2XxsQuantizer extends GridQuantizer {
    /** The sub-block search constants (spec §8.3). */
    private static final Params SEARCH = new Params(32, 1, Weighting.IMPORTANCE, 1e-15f, true, 6, 0.1f, 7,
            Refit.ALL_GROUPS);

    Iq2XxsQuantizer() {
        super(DType.IQ2_XXS, Codebook::iq2xxs, SEARCH, 1f, false);
    }

    /** Record of 8 bytes per sub-block: 4 grid indices, then a word of 4 sign7 fields and the scale code. */
    @Override
    void storeSubBlock(SubBlockScaleSearch s, byte[] out, int o, int ib, int slot) {
        for (int k = 0; k < 4; k++) {
            out[o + 2 + 8 * ib + k] = (byte) s.entry(k);
        }
        IqMath.put32(out, o + 6 + 8 * ib, packSigns7(s.signs));
    }

    @Override
    void storeScales(byte[] out, int o, float id, float[] scales) {
        putScaleTopBits(out, o + 6, 8, id, scales);
    }

    @Override
    void decodeBlock(byte[] src, int o, float d, float[] dst, int y) {
        for (int ib = 0; ib < 8; ib++) {
            int idx = IqMath.le32(src, o + 2 + 8 * ib);
            int aux = IqMath.le32(src, o + 6 + 8 * ib);
            float db = d * (0.5f + (aux >>> 28)) * 0.25f;
            for (int l = 0; l < 4; l++) {
                long grid = Iq2xxsTables.grid((idx >>> (8 * l)) & 255);
                int signs = SignTables.ksigns((aux >>> (7 * l)) & 127);
                decode8(dst, y, db, grid, signs);
                y += 8;
            }
        }
    }
}
