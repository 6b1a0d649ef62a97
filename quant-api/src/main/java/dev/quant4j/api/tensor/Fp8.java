package dev.quant4j.api.tensor;

/**
 * The OCP 8-bit floats as safetensors stores them (PyTorch {@code float8_e4m3fn}: no infinities, S.1111.111 is
 * NaN, max 448; {@code float8_e5m2}: IEEE-like with infinities and NaNs, max 57344).
 */
public final class Fp8 {
    private Fp8() {
    }

    /** The value of {@code bits} in {@code type} (F8_E4M3 or F8_E5M2); exact, since every FP8 value is a float. */
    public static float decode(DType type, byte bits) {
        int b = bits & 0xFF;
        boolean negative = (b & 0x80) != 0;
        int expBits = type == DType.F8_E4M3 ? 4 : 5;
        int manBits = 7 - expBits;
        int bias = (1 << (expBits - 1)) - 1;
        int exp = (b >> manBits) & ((1 << expBits) - 1);
        int man = b & ((1 << manBits) - 1);
        float v;
        if (type == DType.F8_E4M3 && exp == 15 && man == 7) {
            v = Float.NaN;
        } else if (type == DType.F8_E5M2 && exp == 31) {
            v = man == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else if (exp == 0) {
            v = Math.scalb((float) man, 1 - bias - manBits);
        } else {
            v = Math.scalb((float) ((1 << manBits) | man), exp - bias - manBits);
        }
        return negative ? -v : v;
    }
}
