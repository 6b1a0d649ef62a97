package dev.quant4j.kernels;

/**
 * Round-to-nearest scales and codes as compressed-tensors computes them (0.18.0: quantization/utils/helpers.py
 * calculate_qparams, lifecycle/forward_helpers.py _quantize), the one implementation behind quant-int's
 * {@code int8}/{@code fp8_*} seed quantizers and the compressed-tensors writer. Integer ranges are parameters:
 * compressed-tensors uses the full signed range ([-128, 127] for 8 bits, [-8, 7] for 4), quant-int's {@code int8}
 * the restricted one ([-127, 127]), which is the only difference between the two.
 */
public final class RtnCodes {
    private RtnCodes() {
    }

    /** Symmetric scale: {@code absmax / ((qmax - qmin) / 2)} (int8 full range: /127.5; [-127, 127]: /127). */
    public static float symmetricScale(float absmax, int qmin, int qmax) {
        return absmax / ((qmax - qmin) / 2f);
    }

    /** FP8 scale: {@code absmax / maxFinite} (448 for E4M3FN). */
    public static float fp8Scale(float absmax, Fp8 format) {
        return absmax / format.maxFinite();
    }

    /** Asymmetric scale over a range widened to hold 0: {@code (max(hi, 0) - min(lo, 0)) / (qmax - qmin)}. */
    public static float asymmetricScale(float lo, float hi, int qmin, int qmax) {
        return (Math.max(hi, 0f) - Math.min(lo, 0f)) / (qmax - qmin);
    }

    /** Zero point {@code round(clamp(qmin - min(lo, 0) / scale))}, ties to even. */
    public static int zeroPoint(float lo, float scale, int qmin, int qmax) {
        return (int) Math.rint(Math.clamp(qmin - Math.min(lo, 0f) / scale, qmin, qmax));
    }

    /** Integer code of {@code v = x / scale + zeroPoint}: clamped to [qmin, qmax], rounded half to even. */
    public static int intCode(float v, int qmin, int qmax) {
        return (int) Math.rint(Math.clamp(v, qmin, qmax));
    }

    /** FP8 code of {@code v = x / scale}: clamped to ±maxFinite, then cast with round-to-nearest-even. */
    public static byte fp8Code(float v, Fp8 format) {
        float max = format.maxFinite();
        return format.encode(Math.clamp(v, -max, max));
    }
}
