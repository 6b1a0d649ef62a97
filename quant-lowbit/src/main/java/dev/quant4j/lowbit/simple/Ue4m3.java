package dev.quant4j.lowbit.simple;

/**
 * NVFP4's per-16 scale byte (spec section 10): unsigned E4M3, exponent bias 7, three mantissa bits, no infinity;
 * 0x7F is read as zero and 0x7E (448) is the largest value written. Decoded values are halved because the E2M1
 * table they multiply ({@link E2m1}) holds doubled values.
 */
final class Ue4m3 {
    /** The byte written when the scale saturates: exponent 15 - 1, mantissa 6 (448). */
    static final int MAX_CODE = 0x7E;

    private Ue4m3() {
    }

    /** The scale a byte stands for, halved; exact in float (at most 4 significant bits times a power of two). */
    static float decode(int b) {
        if (b == 0 || b == 0x7F) {
            return 0f;
        }
        int e = (b >> 3) & 15;
        int m = b & 7;
        float raw = e == 0 ? Math.scalb((float) m, -9) : Math.scalb(1f + m / 8f, e - 7);
        return raw * 0.5f;
    }

    /**
     * ggml's encoder: clamp to 448, truncate the float mantissa to three bits and add the next bit (round half
     * up on the magnitude, carrying into the exponent); values below the normal range round to a multiple of
     * 2^-9 (half up), those below 2^-10 give 0. Not-positive input (and NaN) gives 0.
     */
    static int encode(float v) {
        if (!(v > 0f)) {
            return 0;
        }
        float x = Math.min(v, 448f);
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >>> 23) & 0xFF) - 127 + 7;
        if (e <= 0) {
            int m = (int) (x * 512f + 0.5f);   // C float-to-int conversion truncates, as Java's cast
            m = Math.min(m, 7);
            return m < 1 ? 0 : m;
        }
        if (e >= 15) {
            return MAX_CODE;
        }
        int m = ((bits >>> 20) & 7) + ((bits >>> 19) & 1);
        if (m > 7) {
            m = 0;
            e++;
            if (e >= 15) {
                return MAX_CODE;
            }
        }
        return e << 3 | m;
    }
}
