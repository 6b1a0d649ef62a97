package dev.quant4j.lowbit.iq;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Params;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Refit;
import dev.quant4j.lowbit.iq.SubBlockScaleSearch.Weighting;
import dev.quant4j.lowbit.tables.Iq3sTables;

/**
 * IQ3_S (3.4375 bpw): 32-value sub-blocks, groups of 4 on the 512-entry 3-bit codebook, 8 explicit sign bits
 * per group of 8, 4-bit scales (spec §8.2, §8.7). Falls back to {@code x²} weights without importance.
 */
final class Iq3SQuantizer extends GridQuantizer {
    /** The sub-block search constants (spec §8.7). */
    private static final Params SEARCH = new Params(32, 2, Weighting.IMPORTANCE_OR_SQUARES, Float.MIN_VALUE, false,
            9, 0.2f, 8, Refit.ALL_GROUPS_IF_ANY_OFF);

    Iq3SQuantizer() {
        super(DType.IQ3_S, Codebook::iq3s, SEARCH, 1.033f, true);
    }

    /**
     * Low index bytes and sign bytes go to running cursors that an all-zero sub-block does not advance
     * (upstream quirk, spec §8.7): {@code slot}, not {@code ib}, places them; bit 8 goes to {@code qh[ib]}.
     */
    @Override
    void storeSubBlock(SubBlockScaleSearch s, byte[] out, int o, int ib, int slot) {
        int qs = o + 2 + 8 * slot;
        for (int k = 0; k < 8; k++) {
            int e = s.entry(k);
            out[qs + k] = (byte) e;
            out[o + 66 + ib] |= (byte) ((e >>> 8) << k);
        }
        int signsAt = o + 74 + 4 * slot;
        for (int k = 0; k < 4; k++) {
            out[signsAt + k] = (byte) s.signs[k];
        }
    }

    @Override
    void storeScales(byte[] out, int o, float id, float[] scales) {
        putScaleNibbles(out, o + 106, id, scales);
    }

    @Override
    void decodeBlock(byte[] src, int o, float d, float[] dst, int y) {
        for (int ib = 0; ib < 8; ib++) {
            int sc = src[o + 106 + ib / 2] & 0xFF;
            float db = d * (1 + 2 * ((sc >>> (4 * (ib % 2))) & 0xF));
            int qh = src[o + 66 + ib] & 0xFF;
            for (int l = 0; l < 4; l++) {
                int qs = o + 2 + 8 * ib + 2 * l;
                int g1 = Iq3sTables.grid((src[qs] & 0xFF) | ((qh << (8 - 2 * l)) & 256));
                int g2 = Iq3sTables.grid((src[qs + 1] & 0xFF) | ((qh << (7 - 2 * l)) & 256));
                int signs = src[o + 74 + 4 * ib + l] & 0xFF;
                decode4x2(dst, y, db, g1, g2, signs);
                y += 8;
            }
        }
    }
}
