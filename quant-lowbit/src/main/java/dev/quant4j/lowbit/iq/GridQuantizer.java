package dev.quant4j.lowbit.iq;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.Rounding;
import dev.quant4j.lowbit.tables.SignTables;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The super-block loop shared by the grid types IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS and IQ3_S (spec §8.3–§8.7):
 * zero the block, fit each sub-block with {@link SubBlockScaleSearch}, let the type store its codes, then
 * {@code d = max_scale/31}, stored as {@code fp16(d·fudge)}, and the 4-bit sub-block scale codes from the
 * unfudged {@code id = 1/d}; and the block loop of the dequantizer. Each subclass keeps its record layout:
 * how a fitted sub-block, the scale codes and a whole block are stored and decoded.
 */
abstract sealed class GridQuantizer extends RowQuantizer
        permits Iq2XxsQuantizer, Iq2XsQuantizer, Iq2SQuantizer, Iq3XxsQuantizer, Iq3SQuantizer {
    static final int QK = 256;

    private final Supplier<Codebook> codebook;
    private final SubBlockScaleSearch.Params params;
    private final int blockBytes;
    private final float fudge;
    private final boolean keepsCodesOfZeroBlock;

    /**
     * @param fudge                 factor applied to {@code d} before the fp16 store (1 for none)
     * @param keepsCodesOfZeroBlock IQ3_S: a block whose sub-block scales are all 0 keeps the codes already
     *                              stored (upstream only skips the scale store); the others zero the block
     */
    GridQuantizer(DType type, Supplier<Codebook> codebook, SubBlockScaleSearch.Params params, float fudge,
                  boolean keepsCodesOfZeroBlock) {
        super(type);
        this.codebook = codebook;
        this.params = params;
        this.blockBytes = type.blockBytes();
        this.fudge = fudge;
        this.keepsCodesOfZeroBlock = keepsCodesOfZeroBlock;
    }

    @Override
    protected final boolean requiresImportance() {
        return params.weighting() == SubBlockScaleSearch.Weighting.IMPORTANCE;
    }

    @Override
    protected final void quantizeRow(float[] x, int n, float[] qw, byte[] out, int outOffset) {
        SubBlockScaleSearch s = new SubBlockScaleSearch(codebook.get(), params);
        int len = params.n();
        float[] scales = new float[QK / len];
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int xo = ibl * QK;
            int o = outOffset + ibl * blockBytes;
            Arrays.fill(out, o, o + blockBytes, (byte) 0);
            float maxScale = 0;
            s.prepareBlock(x, xo, qw, s.sigma2(x, xo));
            int stored = 0;
            for (int ib = 0; ib < scales.length; ib++) {
                scales[ib] = 0;
                if (!s.fit(ib)) {
                    continue;
                }
                storeSubBlock(s, out, o, ib, stored++);
                scales[ib] = s.scale;
                maxScale = Rounding.cmax(maxScale, s.scale);
            }
            if (maxScale == 0) {
                if (!keepsCodesOfZeroBlock) {
                    Arrays.fill(out, o, o + blockBytes, (byte) 0);
                }
                continue;
            }
            float d = maxScale / 31;
            IqMath.put16(out, o, Half.fp16(d * fudge));
            storeScales(out, o, 1 / d, scales);
        }
    }

    @Override
    protected final void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int ibl = 0; ibl < n / QK; ibl++) {
            int o = srcOffset + ibl * blockBytes;
            decodeBlock(src, o, Half.f32((short) IqMath.le16(src, o)), dst, dstOffset + ibl * QK);
        }
    }

    /** Decodes the block at {@code src[o..]} with super-block scale {@code d} into {@code dst[y..y+256)}. */
    abstract void decodeBlock(byte[] src, int o, float d, float[] dst, int y);

    /**
     * Stores the codes and signs of sub-block {@code ib} (fitted in {@code s}) into the zeroed block at
     * {@code o}; {@code slot} counts the sub-blocks stored before it in this block (IQ3_S's running cursors).
     */
    abstract void storeSubBlock(SubBlockScaleSearch s, byte[] out, int o, int ib, int slot);

    /** Stores the 4-bit scale codes of the sub-blocks ({@link IqMath#scaleCode} with {@code id}). */
    abstract void storeScales(byte[] out, int o, float id, float[] scales);

    /** Scale codes as nibbles, sub-block {@code ib} in the low (even) or high (odd) half of {@code out[at + ib/2]}. */
    static void putScaleNibbles(byte[] out, int at, float id, float[] scales) {
        for (int ib = 0; ib < scales.length; ib++) {
            out[at + ib / 2] |= (byte) (IqMath.scaleCode(id, scales[ib], 15) << (4 * (ib % 2)));
        }
    }

    /** Scale codes in bits 28–31 of little-endian words at {@code at + stride·ib} (the high nibble of byte 3). */
    static void putScaleTopBits(byte[] out, int at, int stride, float id, float[] scales) {
        for (int ib = 0; ib < scales.length; ib++) {
            out[at + stride * ib + 3] |= (byte) (IqMath.scaleCode(id, scales[ib], 15) << 4);
        }
    }

    /** The 4 sign7 fields of a 32-value sub-block in bits 0–27 of its word (IQ2_XXS, IQ3_XXS). */
    static int packSigns7(int[] signs) {
        return signs[0] | signs[1] << 7 | signs[2] << 14 | signs[3] << 21;
    }

    /** Decodes a group of 8 on an 8-coordinate entry: {@code dst[y+j] = db·grid_j·(sign bit j set ? −1 : 1)}. */
    static void decode8(float[] dst, int y, float db, long grid, int signs) {
        for (int j = 0; j < 8; j++) {
            float g = (grid >>> (8 * j)) & 255;
            dst[y + j] = db * g * ((signs & SignTables.kmask(j)) != 0 ? -1f : 1f);
        }
    }

    /** Decodes a group of 8 made of two 4-coordinate grid entries sharing one sign byte. */
    static void decode4x2(float[] dst, int y, float db, int g1, int g2, int signs) {
        for (int j = 0; j < 4; j++) {
            float v1 = (g1 >>> (8 * j)) & 255;
            float v2 = (g2 >>> (8 * j)) & 255;
            dst[y + j] = db * v1 * ((signs & SignTables.kmask(j)) != 0 ? -1f : 1f);
            dst[y + j + 4] = db * v2 * ((signs & SignTables.kmask(j + 4)) != 0 ? -1f : 1f);
        }
    }
}
