package dev.quant4j.tck;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Deterministic synthetic tensors for the kit (weights, importance rows, activations). */
public final class Samples {
    private Samples() {
    }

    /**
     * Weight-like values: Gaussian with a per-row scale between 0.5 and 2 and about one outlier of six
     * sigma per 512 values, the way real weight rows look. Same seed, same values.
     */
    public static float[] weights(Shape shape, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = Math.toIntExact(shape.rowLength());
        float[] out = new float[Math.toIntExact(shape.elementCount())];
        for (int r = 0; r < shape.rows(); r++) {
            double rowScale = 0.5 + 1.5 * rnd.nextDouble();
            for (int i = 0; i < n; i++) {
                double v = rnd.nextGaussian() * rowScale;
                if (rnd.nextInt(512) == 0) {
                    v = Math.copySign(6 * rowScale, v);
                }
                out[r * n + i] = (float) v;
            }
        }
        return out;
    }

    /** A positive importance row (mean squared activations) of {@code rowLength} values between 0.01 and 4. */
    public static float[] importance(long rowLength, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        float[] out = new float[Math.toIntExact(rowLength)];
        for (int i = 0; i < out.length; i++) {
            double u = rnd.nextDouble();
            out[i] = (float) (0.01 + 4 * u * u);
        }
        return out;
    }

    /**
     * Rounds every value to one that F32, F16 and BF16 all hold exactly (8 significant bits, no values
     * too small for F16), so the same tensor can be given in any of the three types.
     */
    public static float[] exactInHalfTypes(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v) || Math.abs(v) < 0x1p-10f) {
                out[i] = Float.isFinite(v) ? 0f : v;
                continue;
            }
            int bits = Float.floatToRawIntBits(v);
            bits = (bits + 0x8000) & 0xFFFF0000; // round to 8 significant bits (bf16), half away from zero
            out[i] = Math.max(-60000f, Math.min(60000f, Float.intBitsToFloat(bits)));
        }
        return out;
    }

    /** The little-endian bytes of {@code values} in {@code type} (F32, F16 or BF16; BF16 truncates). */
    public static byte[] encode(DType type, float[] values) {
        ByteBuffer b;
        switch (type) {
            case F32 -> {
                b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    b.putFloat(v);
                }
            }
            case F16 -> {
                b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    b.putShort(Float.floatToFloat16(v));
                }
            }
            case BF16 -> {
                b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                }
            }
            default -> throw new IllegalArgumentException("samples are F32, F16 or BF16, not " + type);
        }
        return b.array();
    }

    /** A view over {@code bytes} themselves (not a copy), so a test can check they stay untouched. */
    public static TensorView view(String name, DType type, Shape shape, byte[] bytes) {
        return new TensorView(name, type, shape, MemorySegment.ofArray(bytes));
    }

    /** A fresh view of {@code values} in {@code type}. */
    public static TensorView view(String name, DType type, Shape shape, float[] values) {
        return view(name, type, shape, encode(type, values));
    }
}
