package dev.quant4j.lowbit.iq;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Params;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Refit;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Weighting;
import dev.quant4j.lowbit.tables.Iq2xsTables;
import dev.quant4j.lowbit.tables.SignTables;

/**
 * IQ2_XS (2.3125 bpw): 16-value sub-blocks of two groups of 8 on the 512-entry 2-bit codebook, parity-coded
 * signs, 4-bit sub-block scales (spec §8.2, §8.4). Needs importance weights.
 */
final class Iq2XsQuantizer extends GridQuantizer {
    /** The sub-block search constants (spec §8.4). */
    private static final Params SEARCH = new Params(16, 1, Weighting.IMPORTANCE, 1e-15f, false, 9, 0.1f, 7,
            Refit.OFF_GRID_GROUPS);

    Iq2XsQuantizer() {
        super(DType.IQ2_XS, Codebook::iq2xs, SEARCH, 1f, false);
    }

    /** Per group of 8: {@code uint16 = grid index | sign7 << 9}. */
    @Override
    void storeSubBlock(SubBlockScaleSearch s, byte[] out, int o, int ib, int slot) {
        for (int k = 0; k < 2; k++) {
            IqMath.put16(out, o + 2 + 2 * (2 * ib + k), s.entry(k) | s.signs[k] << 9);
        }
    }

    @Override
    void storeScales(byte[] out, int o, float id, float[] scales) {
        putScaleNibbles(out, o + 66, id, scales);
    }

    @Override
    void decodeBlock(byte[] src, int o, float d, float[] dst, int y) {
        for (int ib32 = 0; ib32 < 8; ib32++) {
            int sc = src[o + 66 + ib32] & 0xFF;
            float db0 = d * (0.5f + (sc & 0xF)) * 0.25f;
            float db1 = d * (0.5f + (sc >>> 4)) * 0.25f;
            for (int l = 0; l < 4; l++) {
                int q = IqMath.le16(src, o + 2 + 2 * (4 * ib32 + l));
                long grid = Iq2xsTables.grid(q & 511);
                int signs = SignTables.ksigns(q >>> 9);
                float db = l < 2 ? db0 : db1;
                decode8(dst, y, db, grid, signs);
                y += 8;
            }
        }
    }
}
