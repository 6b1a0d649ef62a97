package dev.quant4j.integer.seed;

import dev.quant4j.kernels.Fp8;
import dev.quant4j.kernels.RtnCodes;

/** One value in one byte, after division by its scale: the element codec of a symmetric layout. */
sealed interface ByteCodec {
    /** The largest magnitude a code represents; a scale maps max |x| onto it. */
    float qmax();

    /** Code of {@code v = x / scale}, rounded to nearest, ties to even, clamped to +-{@link #qmax()}. */
    byte encode(float v);

    /** The scale mapping {@code absmax} onto {@link #qmax()}. */
    float scale(float absmax);

    float decode(byte code);

    /**
     * Symmetric int8: q = clamp(round(v), -127, 127); -128 is never written. compressed-tensors' int8 uses
     * [-128, 127] (scale absmax/127.5); otherwise the same {@link RtnCodes} arithmetic.
     */
    record Int8() implements ByteCodec {
        @Override
        public float qmax() {
            return 127f;
        }

        @Override
        public float scale(float absmax) {
            return RtnCodes.symmetricScale(absmax, -127, 127);
        }

        @Override
        public byte encode(float v) {
            return (byte) RtnCodes.intCode(v, -127, 127); // compressed-tensors' rule on the restricted range
        }

        @Override
        public float decode(byte code) {
            return code;
        }
    }

    /** An OCP FP8 format, saturating. */
    record Fp8Codec(Fp8 format) implements ByteCodec {
        @Override
        public float qmax() {
            return format.maxFinite();
        }

        @Override
        public float scale(float absmax) {
            return RtnCodes.fp8Scale(absmax, format);
        }

        @Override
        public byte encode(float v) {
            return RtnCodes.fp8Code(v, format); // what compressed-tensors writes for float-quantized
        }

        @Override
        public float decode(byte code) {
            return format.decode(code);
        }
    }
}
