package dev.quant4j.integer.seed;

import dev.quant4j.kernels.Fp8;
import dev.quant4j.kernels.Rounding;

/** One value in one byte, after division by its scale: the element codec of a symmetric layout. */
sealed interface ByteCodec {
    /** The largest magnitude a code represents; a scale maps max |x| onto it. */
    float qmax();

    /** Code of {@code v = x / scale}, rounded to nearest, ties to even, clamped to +-{@link #qmax()}. */
    byte encode(float v);

    float decode(byte code);

    /** Symmetric int8: q = clamp(round(v), -127, 127); -128 is never written. */
    record Int8() implements ByteCodec {
        @Override
        public float qmax() {
            return 127f;
        }

        @Override
        public byte encode(float v) {
            return (byte) Rounding.nearestInt(Math.clamp(v, -127f, 127f));
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
        public byte encode(float v) {
            return format.encode(v);
        }

        @Override
        public float decode(byte code) {
            return format.decode(code);
        }
    }
}
