package dev.quant4j.kernels;

/**
 * The two OCP 8-bit floating point formats (OCP "8-bit Floating Point Specification (OFP8)" v1.0).
 *
 * <ul>
 *   <li>{@link #E4M3FN}: 4 exponent bits, bias 7, 3 mantissa bits. No infinities; the only NaN is
 *       {@code S.1111.111} (0x7F / 0xFF), so the largest finite value is {@code S.1111.110} = 448.
 *       Subnormals {@code k * 2^-9}.</li>
 *   <li>{@link #E5M2}: 5 exponent bits, bias 15, 2 mantissa bits, IEEE 754 conventions: exponent 11111 is
 *       infinity (mantissa 0) or NaN. Largest finite value 57344. Subnormals {@code k * 2^-16}.</li>
 * </ul>
 *
 * <p>Encoding rounds to nearest, ties to even, keeps subnormals and the sign of zero. What happens past
 * the largest finite value depends on the {@link Overflow} mode; NaN always encodes to the format's NaN
 * (0x7F for E4M3FN, 0x7E for E5M2) with the input's sign. Decoding is exact.
 */
public enum Fp8 {
    E4M3FN(4, 3, 7, 0x7E, false),
    E5M2(5, 2, 15, 0x7B, true);

    /** What an encoder does with magnitudes that round past the largest finite value (including infinity). */
    public enum Overflow {
        /** Clamp to the largest finite value of the same sign (what quantizers want). */
        SATURATE,
        /** E5M2: infinity of the same sign; E4M3FN, which has no infinity: NaN. */
        NON_SATURATE
    }

    private final int expBits;
    private final int manBits;
    private final int bias;
    private final int maxCode;
    private final boolean hasInfinity;
    private final float maxFinite;
    /** Float exponent bias minus this format's, pre-shifted onto the mantissa field: rebiases a rounded float. */
    private final int rebias;
    /** {@code 2^(bias + manBits - 1)}: multiplies a subnormal-range value into units of the smallest subnormal. */
    private final float subnormalScale;
    private final float minNormal;
    /** Value of every code, built once per format; never handed out, so it stays immutable. */
    private final float[] decoded = new float[256];

    Fp8(int expBits, int manBits, int bias, int maxCode, boolean hasInfinity) {
        this.expBits = expBits;
        this.manBits = manBits;
        this.bias = bias;
        this.maxCode = maxCode;
        this.hasInfinity = hasInfinity;
        this.rebias = (127 - bias) << manBits;
        this.subnormalScale = Math.scalb(1f, bias + manBits - 1);
        this.minNormal = Math.scalb(1f, 1 - bias);
        this.maxFinite = decodeMagnitude(maxCode);
        for (int c = 0; c < 256; c++) {
            float m = decodeMagnitude(c & 0x7F);
            decoded[c] = (c & 0x80) != 0 ? -m : m;
        }
    }

    public int exponentBits() {
        return expBits;
    }

    public int mantissaBits() {
        return manBits;
    }

    public int bias() {
        return bias;
    }

    /** Largest finite magnitude: 448 for E4M3FN, 57344 for E5M2. */
    public float maxFinite() {
        return maxFinite;
    }

    /** Smallest positive normal: 2^-6 for E4M3FN, 2^-14 for E5M2. */
    public float minNormal() {
        return minNormal;
    }

    /** Smallest positive subnormal: 2^-9 for E4M3FN, 2^-16 for E5M2. */
    public float minSubnormal() {
        return 1f / subnormalScale;
    }

    public boolean hasInfinity() {
        return hasInfinity;
    }

    /** The code of NaN with the given sign. */
    public byte nan(boolean negative) {
        int c = hasInfinity ? 0x7E : 0x7F;
        return (byte) (negative ? c | 0x80 : c);
    }

    /** True for the codes that decode to NaN. */
    public boolean isNaN(byte code) {
        int m = code & 0x7F;
        return hasInfinity ? m > 0x7C : m == 0x7F;
    }

    /** Encodes saturating: finite overflow and infinities clamp to {@code ±maxFinite()}. */
    public byte encode(float v) {
        return encode(v, Overflow.SATURATE);
    }

    public byte encode(float v, Overflow overflow) {
        int bits = Float.floatToRawIntBits(v);
        int sign = (bits >>> 24) & 0x80;
        if (Float.isNaN(v)) {
            return nan(sign != 0);
        }
        float a = Math.abs(v);
        int mag;
        if (a < minNormal) {
            // exact: a power-of-two product, then ties-to-even in units of the smallest subnormal;
            // a result of 2^manBits is the smallest normal, whose code has the same value
            mag = (int) Math.rint(a * subnormalScale);
        } else {
            int abits = bits & 0x7FFFFFFF;
            int shift = 23 - manBits;
            // round the float's mantissa to manBits, ties to even; a carry moves into the exponent
            int rounded = (abits + (1 << (shift - 1)) - 1 + ((abits >>> shift) & 1)) >>> shift;
            mag = rounded - rebias;
        }
        if (mag > maxCode) {
            if (overflow == Overflow.SATURATE) {
                mag = maxCode;
            } else {
                return hasInfinity ? (byte) (sign | 0x7C) : nan(sign != 0);
            }
        }
        return (byte) (sign | mag);
    }

    /** Exact value of {@code code}. */
    public float decode(byte code) {
        return decoded[code & 0xFF];
    }

    private float decodeMagnitude(int mag) {
        int e = mag >>> manBits;
        int f = mag & ((1 << manBits) - 1);
        int maxExp = (1 << expBits) - 1;
        if (hasInfinity && e == maxExp) {
            return f == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        }
        if (!hasInfinity && mag == 0x7F) {
            return Float.NaN;
        }
        if (e == 0) {
            return Math.scalb((float) f, 1 - bias - manBits);
        }
        return Math.scalb((float) ((1 << manBits) | f), e - bias - manBits);
    }
}
