package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;

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

    /** Offset of {@code qh} in a block of a 5-bit type. */
    final int qhOffset() {
        return qsOffset - 4;
    }
}
