package dev.quant4j.integer.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Random;

/** Helpers for the seed quantizer tests: building quantizers from option strings, bytes, random data. */
final class SeedTestSupport {
    private SeedTestSupport() {
    }

    static <O extends Record> Quantizer quantizer(QuantizerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    static byte[] encode(Quantizer q, TensorView v) {
        return q.quantize(v, null, Arena.ofAuto()).data().toArray(ValueLayout.JAVA_BYTE);
    }

    static float[] decode(Quantizer q, byte[] bytes, Shape shape) {
        float[] out = new float[Math.toIntExact(shape.elementCount())];
        q.dequantize(MemorySegment.ofArray(bytes), shape, 0, shape.rows(), out);
        return out;
    }

    /** Little-endian bytes of a float. */
    static byte[] f32(float v) {
        int b = Float.floatToIntBits(v);
        return new byte[] {(byte) b, (byte) (b >>> 8), (byte) (b >>> 16), (byte) (b >>> 24)};
    }

    /** Concatenation of byte arrays and single bytes (Integer) in order. */
    static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    static float[] gaussian(long seed, int n, float sigma) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * sigma);
        }
        return x;
    }

    static void assertBytes(byte[] expected, byte[] actual) {
        assertEquals(expected.length, actual.length, "encoded size");
        assertArrayEquals(expected, actual);
    }
}
