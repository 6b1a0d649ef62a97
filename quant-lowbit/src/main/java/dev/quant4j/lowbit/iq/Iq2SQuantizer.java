package dev.quant4j.lowbit.iq;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Params;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Refit;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Weighting;
import dev.quant4j.lowbit.tables.Iq2sTables;

/**
 * IQ2_S (2.5625 bpw): as IQ2_XS but on the 1024-entry 2-bit codebook with 8 explicit sign bits per group and
 * a fallback weighting when no importance is given (spec §8.2, §8.5).
 */
final class Iq2SQuantizer extends GridQuantizer {
    /** The sub-block search constants (spec §8.5). */
    private static final Params SEARCH = new Params(16, 2, Weighting.IMPORTANCE_OR_SIGMA, 1e-8f, false, 9, 0.1f, 8,
            Refit.OFF_GRID_GROUPS);

    Iq2SQuantizer() {
        super(DType.IQ2_S, Codebook::iq2s, SEARCH, 0.9875f, false);
    }

    /** Group {@code g}: index low byte at {@code qs[g]}, bits 8–9 in {@code qh[g/4]}, signs at {@code qs[32+g]}. */
    @Override
    void storeSubBlock(SubBlockScaleSearch s, byte[] out, int o, int ib, int slot) {
        for (int k = 0; k < 2; k++) {
            int g = 2 * ib + k;
            int entry = s.entry(k);
            out[o + 2 + g] = (byte) entry;
            out[o + 66 + g / 4] |= (byte) ((entry >>> 8) << (2 * (g % 4)));
            out[o + 34 + g] = (byte) s.signs[k];
        }
    }

    @Override
    void storeScales(byte[] out, int o, float id, float[] scales) {
        putScaleNibbles(out, o + 74, id, scales);
    }

    @Override
    void decodeBlock(byte[] src, int o, float d, float[] dst, int y) {
        for (int ib32 = 0; ib32 < 8; ib32++) {
            int sc = src[o + 74 + ib32] & 0xFF;
            int qh = src[o + 66 + ib32] & 0xFF;
            float db0 = d * (0.5f + (sc & 0xF)) * 0.25f;
            float db1 = d * (0.5f + (sc >>> 4)) * 0.25f;
            for (int l = 0; l < 4; l++) {
                int g = 4 * ib32 + l;
                long grid = Iq2sTables.grid((src[o + 2 + g] & 0xFF) | ((qh << (8 - 2 * l)) & 0x300));
                int signs = src[o + 34 + g] & 0xFF;
                float db = l < 2 ? db0 : db1;
                decode8(dst, y, db, grid, signs);
                y += 8;
            }
        }
    }
}
