package dev.quant4j.safetensors.ct;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Fp8;

/** float → float8_e4m3fn with round-to-nearest-even, as PyTorch's cast does for values inside ±448. */
final class Fp8E4m3 {
    static final float MAX = 448f;
    /** Values of the non-negative codes 0x00..0x7E, increasing. */
    private static final float[] VALUES = new float[127];

    static {
        for (int c = 0; c < VALUES.length; c++) {
            VALUES[c] = Fp8.decode(DType.F8_E4M3, (byte) c);
        }
    }

    private Fp8E4m3() {
    }

    /** The code of {@code v} (clamped to ±448 first; NaN gives the NaN code). */
    static byte encode(float v) {
        if (Float.isNaN(v)) {
            return 0x7F;
        }
        float a = Math.min(Math.abs(v), MAX);
        int lo = 0;
        int hi = VALUES.length - 1;
        while (hi - lo > 1) { // VALUES[lo] <= a <= VALUES[hi]
            int mid = (lo + hi) >>> 1;
            if (VALUES[mid] <= a) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int code;
        float dl = a - VALUES[lo];
        float dh = VALUES[hi] - a;
        if (dl < dh) {
            code = lo;
        } else if (dh < dl) {
            code = hi;
        } else {
            code = (lo & 1) == 0 ? lo : hi; // tie: even mantissa
        }
        return (byte) (code | (Float.floatToRawIntBits(v) < 0 ? 0x80 : 0));
    }
}
