package dev.quant4j.kernels;

/**
 * IEEE binary16 and bfloat16 conversions exactly as ggml does them (spec/quant-types.md section 0.4).
 */
public final class Half {
    private Half() {
    }

    /** float to binary16 bits: round to nearest even, subnormals kept, overflow to infinity, NaN to 0x7E00 with sign. */
    public static short fp16(float v) {
        if (Float.isNaN(v)) {
            return (short) (0x7E00 | ((Float.floatToRawIntBits(v) >>> 16) & 0x8000));
        }
        return Float.floatToFloat16(v);
    }

    /** binary16 bits to float (exact). */
    public static float f32(short h) {
        return Float.float16ToFloat(h);
    }

    /** The value a stored fp16 scale reads back as: {@code f32(fp16(v))}. */
    public static float roundTrip(float v) {
        return Float.float16ToFloat(fp16(v));
    }

    /** float to bfloat16 bits: round to nearest even on the raw bits, NaN forced quiet, no flush of subnormals. */
    public static short bf16(float v) {
        int b = Float.floatToRawIntBits(v);
        if ((b & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((b >>> 16) | 0x0040);
        }
        return (short) ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16);
    }

    /** bfloat16 bits to float (exact). */
    public static float bf16ToF32(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }
}
