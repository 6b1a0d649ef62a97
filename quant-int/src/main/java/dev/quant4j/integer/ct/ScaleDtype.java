package dev.quant4j.integer.ct;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The dtype of compressed-tensors' {@code weight_scale} (the checkpoint's own float dtype, as PyTorch stores it).
 * A scale is rounded to it (RNE) before use, so codes and stored scale agree.
 */
public enum ScaleDtype {
    F32(4), F16(2), BF16(2);

    private static final ValueLayout.OfFloat LE_F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int bytes;

    ScaleDtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** {@code v} rounded to this dtype and widened back. */
    public float round(float v) {
        return switch (this) {
            case F32 -> v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            case BF16 -> Float.intBitsToFloat(bf16Bits(v));
        };
    }

    /** torch.finfo(dtype).eps: what compressed-tensors puts in place of a zero scale. */
    public float eps() {
        return switch (this) {
            case F16 -> 0x1p-10f;
            case BF16 -> 0x1p-7f;
            case F32 -> Math.ulp(1f);
        };
    }

    void put(MemorySegment m, long offset, float v) {
        switch (this) {
            case F32 -> m.set(LE_F32, offset, v);
            case F16 -> m.set(LE_I16, offset, Float.floatToFloat16(v));
            case BF16 -> m.set(LE_I16, offset, (short) (bf16Bits(v) >>> 16));
        }
    }

    float get(MemorySegment m, long offset) {
        return switch (this) {
            case F32 -> m.get(LE_F32, offset);
            case F16 -> Float.float16ToFloat(m.get(LE_I16, offset));
            case BF16 -> Float.intBitsToFloat((m.get(LE_I16, offset) & 0xFFFF) << 16);
        };
    }

    private static int bf16Bits(float v) {
        int b = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (b | 0x0040_0000) & 0xFFFF_0000;
        }
        return (b + 0x7FFF + ((b >>> 16) & 1)) & 0xFFFF_0000;
    }
}
