package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.MatTile;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernel decodes F16 and Q8_0 weights itself ({@link MatTile.Encoding}): its floats must be the bits the
 * registry's Q8_0, Q4_K and Q6_K dequantizers and {@link TensorView#readRows} give, or MatMul's fast path would change results.
 */
class EncodedWeightsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(EncodedWeightsTest.class.getClassLoader());

    @Test
    void q8MatchesTheRegistrysDequantizer() {
        int rows = 5, cols = 512;
        byte[] bytes = new byte[rows * cols / 32 * 34];
        SplittableRandom r = new SplittableRandom(3);
        for (int b = 0; b < bytes.length; b += 34) {
            short d = b % 7 == 0 ? (short) r.nextInt(0x400) : Float.floatToFloat16((float) r.nextGaussian() * 0.01f);
            bytes[b] = (byte) d;
            bytes[b + 1] = (byte) (d >> 8);
            for (int j = 2; j < 34; j++) {
                bytes[b + j] = (byte) r.nextInt(256);
            }
        }
        assertRegistryBits("q8_0", MatTile.Encoding.Q8_0, MemorySegment.ofArray(bytes), rows, cols);
    }

    @Test
    void q4kMatchesTheRegistrysDequantizer() { // finite d and dmin, the first two halves
        assertRegistryBits("q4_k", MatTile.Encoding.Q4_K, randomBlocks(6, 9, 144, 0.01, 0, 2), 3, 768);
    }

    @Test
    void q6kMatchesTheRegistrysDequantizer() { // a finite d, the last half
        assertRegistryBits("q6_k", MatTile.Encoding.Q6_K, randomBlocks(7, 9, 210, 0.001, 208), 3, 768);
    }

    /** {@code blocks} random blocks of {@code blockBytes}, with small finite halves at {@code halfOffsets}. */
    private static MemorySegment randomBlocks(long seed, int blocks, int blockBytes, double scale, int... halfOffsets) {
        byte[] bytes = new byte[blocks * blockBytes];
        SplittableRandom r = new SplittableRandom(seed);
        r.nextBytes(bytes);
        for (int b = 0; b < bytes.length; b += blockBytes) {
            for (int h : halfOffsets) {
                short d = Float.floatToFloat16((float) (r.nextGaussian() * scale));
                bytes[b + h] = (byte) d;
                bytes[b + h + 1] = (byte) (d >> 8);
            }
        }
        return MemorySegment.ofArray(bytes);
    }

    @Test
    void f16MatchesTensorView() {
        int rows = 3, cols = 300;
        byte[] bytes = new byte[2 * rows * cols];
        new SplittableRandom(4).nextBytes(bytes);
        MemorySegment seg = MemorySegment.ofArray(bytes);
        float[] expected = new float[rows * cols];
        new TensorView("w", DType.F16, Shape.of(cols, rows), seg).readRows(0, rows, expected, 0);
        assertSameBits(expected, decode(MatTile.Encoding.F16, seg, rows, cols)); // NaN payloads included
    }

    private static void assertRegistryBits(String type, MatTile.Encoding e, MemorySegment seg, int rows, int cols) {
        Quantizer q = REGISTRY.quantizers().quantizer(type, Map.of());
        float[] expected = new float[rows * cols];
        q.dequantize(seg, Shape.of(cols, rows), 0, rows, expected);
        assertSameBits(expected, decode(e, seg, rows, cols));
    }

    private static float[] decode(MatTile.Encoding e, MemorySegment seg, int rows, int cols) {
        float[] out = new float[rows * cols];
        long rowBytes = (long) cols / e.blockValues() * e.blockBytes();
        for (int i = 0; i < rows; i++) {
            e.decodeRow(seg, i * rowBytes, cols, out, i * cols);
        }
        return out;
    }

    private static void assertSameBits(float[] expected, float[] actual) {
        for (int i = 0; i < actual.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "value " + i);
        }
    }
}
