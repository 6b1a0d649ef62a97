package dev.quant4j.lowbit.iq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract behaviour of the seven IQ providers that does not need shared/. */
class IqQuantizerBehaviourTest {
    private static final int ROWS = 6;
    private static final int N = 512;

    /** Provider, type, whether importance is required, and a relative-RMSE bound a little above upstream's. */
    static Stream<Arguments> providers() {
        return Stream.of(
                Arguments.of(new Iq2XxsProvider(), DType.IQ2_XXS, true, 0.45),
                Arguments.of(new Iq2XsProvider(), DType.IQ2_XS, true, 0.40),
                Arguments.of(new Iq2SProvider(), DType.IQ2_S, false, 0.31),
                Arguments.of(new Iq3XxsProvider(), DType.IQ3_XXS, false, 0.26),
                Arguments.of(new Iq3SProvider(), DType.IQ3_S, false, 0.19),
                Arguments.of(new Iq1SProvider(), DType.IQ1_S, true, 0.60),
                Arguments.of(new Iq1MProvider(), DType.IQ1_M, false, 0.60));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void descriptorNamesTheTypeAndDeclaresCapabilities(QuantizerProvider<NoOptions> p, DType type, boolean requires) {
        assertEquals(type.lowerName(), p.descriptor().name());
        assertTrue(p.descriptor().has(Capability.DEQUANTIZE));
        assertTrue(p.descriptor().has(Capability.ROW_INDEPENDENT));
        assertTrue(p.descriptor().has(Capability.GGML_EXACT));
        assertEquals(requires, p.descriptor().has(Capability.REQUIRES_CALIBRATION));
        assertEquals(!requires, p.descriptor().has(Capability.USES_CALIBRATION));
        assertEquals(new TensorEncoding.Ggml(type), p.create(p.defaultOptions()).encoding());
        assertThrows(QuantException.class, () -> p.parseOptions(Map.of("group-size", "32")));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void foundByTheRegistry(QuantizerProvider<NoOptions> p, DType type) {
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        assertEquals(p.getClass(), registry.quantizer(type.lowerName()).getClass());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void importanceIsRequiredOrChangesTheBytes(QuantizerProvider<NoOptions> p, DType type, boolean requires) {
        Quantizer q = p.create(new NoOptions());
        TensorView src = gaussian("blk.0.ffn_down.weight", 11);
        float[] imp = importance(12);
        byte[] with = quantize(q, src, imp);
        if (requires) {
            QuantException e = assertThrows(QuantException.class, () -> quantize(q, src, null));
            assertEquals(ErrorCode.MISSING_CALIBRATION, e.code());
            assertTrue(e.getMessage().contains("blk.0.ffn_down.weight"), e.getMessage());
        } else {
            assertFalse(java.util.Arrays.equals(with, quantize(q, src, null)), "importance changes the encoding");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void roundTripErrorIsBounded(QuantizerProvider<NoOptions> p, DType type, boolean requires, double maxRel) {
        Quantizer q = p.create(new NoOptions());
        TensorView src = gaussian("t", 21);
        float[] x = floats(src);
        byte[] enc = quantize(q, src, importance(22));
        float[] y = new float[x.length];
        q.dequantize(MemorySegment.ofArray(enc), src.shape(), 0, ROWS, y);
        double err = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            err += (x[i] - y[i]) * (double) (x[i] - y[i]);
            ref += x[i] * (double) x[i];
        }
        double rel = Math.sqrt(err / ref);
        assertTrue(rel < maxRel, type + " relative RMSE " + rel);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void rowRangesInParallelMatchTheWholeTensor(QuantizerProvider<NoOptions> p) throws Exception {
        Quantizer q = p.create(new NoOptions());
        TensorView src = gaussian("t", 31);
        float[] imp = importance(32);
        byte[] whole = quantize(q, src, imp);
        int rowBytes = whole.length / ROWS;
        byte[] parts = new byte[whole.length];
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                int row = r;
                done.add(pool.submit(() -> {
                    MemorySegment dst = MemorySegment.ofArray(new byte[rowBytes]);
                    q.quantize(src, row, 1, imp, dst);
                    MemorySegment.copy(dst, 0, MemorySegment.ofArray(parts), (long) row * rowBytes, rowBytes);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertArrayEquals(whole, parts);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void rejectsPartialBlocksAndNonFiniteInput(QuantizerProvider<NoOptions> p) {
        Quantizer q = p.create(new NoOptions());
        QuantException shape = assertThrows(QuantException.class, () -> q.encodedBytes("w", Shape.of(200, 2)));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, shape.code());
        float[] x = floats(gaussian("w", 41));
        x[N + 7] = Float.NaN;
        TensorView bad = TensorView.ofFloats("w", Shape.of(N, ROWS), x);
        QuantException e = assertThrows(QuantException.class, () -> quantize(q, bad, importance(42)));
        assertEquals(ErrorCode.NON_FINITE_INPUT, e.code());
    }

    private static byte[] quantize(Quantizer q, TensorView src, float[] imp) {
        byte[] out = new byte[Math.toIntExact(q.encodedBytes(src.name(), src.shape()))];
        q.quantize(src, 0, src.rows(), imp, MemorySegment.ofArray(out));
        return out;
    }

    private static TensorView gaussian(String name, long seed) {
        Random r = new Random(seed);
        float[] x = new float[N * ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 0.02);
        }
        return TensorView.ofFloats(name, Shape.of(N, ROWS), x);
    }

    private static float[] floats(TensorView v) {
        return v.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    private static float[] importance(long seed) {
        Random r = new Random(seed);
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            double e = 0.05 + 2 * r.nextDouble();
            w[i] = (float) (e * e);
        }
        return w;
    }
}
