package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;

/**
 * What the four legacy 32-value types share: 4 or 5 bits per level (Q5 keeps the fifth bits in a uint32
 * {@code qh} after the block's fp16 constants), an importance path, and the plain-array encode entry.
 */
abstract class LegacyCodec implements RowCodec {
    final DType type;
    /** Bits per level: 4 or 5. */
    final int bits;
    /** Offset of the packed nibbles in a block (after the fp16 constants and, for 5 bits, {@code qh}). */
    final int qsOffset;

    LegacyCodec(DType type, DType four, DType five, int constantsBytes) {
        if (type != four && type != five) {
            throw new IllegalArgumentException(type + " is not " + four + " or " + five);
        }
        this.type = type;
        this.bits = type == four ? 4 : 5;
        this.qsOffset = constantsBytes + (bits == 5 ? 4 : 0);
    }

    @Override
    public final DType type() {
        return type;
    }

    @Override
    public final boolean usesImportance() {
        return true;
    }

    @Override
    public final void encode(float[] x, int n, float[] qw, byte[] out, int off) {
        encode(x, 0, n, qw, out, off);
    }

    /** Writes the 32 levels of the block at column {@code c} ({@code qh} for 5 bits, then the nibbles). */
    final void storeLevels(byte[] q, int c, byte[] out, int o) {
        if (bits == 5) {
            LittleEndian.putInt(out, o + qsOffset - 4, LegacyBlocks.highBits(q, c));
        }
        LegacyBlocks.pack4(q, c, out, o + qsOffset);
    }

    /** The block's fifth bits ({@code qh}), 0 for 4-bit types. */
    final int highBits(byte[] in, int o) {
        return bits == 5 ? LittleEndian.getInt(in, o + qsOffset - 4) : 0;
    }

    /** Level {@code j} of the block at {@code o} (0 <= j < 32), given its {@code qh}. */
    final int level(byte[] in, int o, int qh, int j) {
        int b = in[o + qsOffset + (j & 15)] & 0xFF;
        int nibble = j < 16 ? b & 15 : b >> 4;
        return nibble | ((qh >>> j) & 1) << 4;
    }
}
