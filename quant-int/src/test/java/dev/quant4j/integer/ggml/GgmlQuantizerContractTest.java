package dev.quant4j.integer.ggml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Registration, descriptors, shape and non-finite refusal, row independence for every quant-int provider. */
class GgmlQuantizerContractTest {
    private static final List<String> NAMES = List.of("f32", "f16", "bf16", "q4_0", "q4_1", "q5_0", "q5_1",
            "q8_0", "q8_1", "q3_k", "q4_k", "q5_k", "q6_k", "q8_k");
    private static final Set<String> WITH_IMATRIX = Set.of("q4_0", "q4_1", "q5_0", "q5_1", "q3_k", "q4_k",
            "q5_k", "q6_k");

    @SuppressWarnings("unchecked")
    private static Quantizer quantizer(String name) {
        QuantizerProvider<?> p = QuantRegistry.load(GgmlQuantizerContractTest.class.getClassLoader()).quantizer(name);
        return ((QuantizerProvider<NoOptions>) p).create(new NoOptions());
    }

    @Test
    void everyTypeIsRegisteredWithItsCapabilities() {
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        assertTrue(registry.names(ProviderKind.QUANTIZER).containsAll(NAMES), registry.names(ProviderKind.QUANTIZER).toString());
        for (String name : NAMES) {
            QuantizerProvider<?> p = registry.quantizer(name);
            assertEquals(name, p.descriptor().name());
            assertEquals(NoOptions.class, p.optionsType());
            for (Capability c : List.of(Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT, Capability.GGML_EXACT)) {
                assertTrue(p.descriptor().has(c), name + " " + c);
            }
            assertEquals(WITH_IMATRIX.contains(name), p.descriptor().has(Capability.USES_CALIBRATION), name);
            assertTrue(!p.descriptor().has(Capability.REQUIRES_CALIBRATION), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q5_1", "q8_0", "q3_k", "q4_k", "q6_k", "q8_k"})
    void rowsThatAreNotWholeBlocksAreRefused(String name) {
        Quantizer q = quantizer(name);
        int block = name.endsWith("_k") ? 256 : 32;
        int n = block + 16;
        QuantException e = assertThrows(QuantException.class, () -> q.encodedBytes("blk.0.attn_q.weight", Shape.of(n, 2)));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e.code());
        assertTrue(e.getMessage().contains("blk.0.attn_q.weight"), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(n)), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(block)), e.getMessage());
        TensorView src = TensorView.ofFloats("blk.0.attn_q.weight", Shape.of(n, 1), new float[n]);
        QuantException e2 = assertThrows(QuantException.class,
                () -> q.quantize(src, 0, 1, null, MemorySegment.ofArray(new byte[1024])));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e2.code());
        assertTrue(e2.getMessage().contains(Integer.toString(n)) && e2.getMessage().contains(Integer.toString(block)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"f16", "q4_0", "q8_0", "q4_k", "q6_k"})
    void nonFiniteInputIsRefusedNamingTensorRowAndColumn(String name) {
        Quantizer q = quantizer(name);
        float[] x = new float[2 * 256];
        x[256 + 37] = name.equals("q4_k") ? Float.NEGATIVE_INFINITY : Float.NaN;
        TensorView src = TensorView.ofFloats("output.weight", Shape.of(256, 2), x);
        byte[] out = new byte[Math.toIntExact(q.encodedBytes("output.weight", src.shape()))];
        QuantException e = assertThrows(QuantException.class,
                () -> q.quantize(src, 0, 2, null, MemorySegment.ofArray(out)));
        assertEquals(ErrorCode.NON_FINITE_INPUT, e.code());
        assertTrue(e.getMessage().contains("output.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("column 37"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "q8_1", "q3_k", "q4_k", "q5_k", "q6_k", "q8_k"})
    void rowRangesEncodeIndependentlyAndImportanceIsUsedOnlyWhereDeclared(String name) {
        Quantizer q = quantizer(name);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        int n = 512;
        int rows = 3;
        float[] x = new float[n * rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 0.1);
        }
        float[] imp = new float[n];
        for (int i = 0; i < n; i++) {
            imp[i] = (float) (0.01 + r.nextDouble() * r.nextDouble() * 4);
        }
        TensorView src = TensorView.ofFloats("t", Shape.of(n, rows), x);
        try (Arena arena = Arena.ofConfined()) {
            int rb = Math.toIntExact(q.encodedBytes("t", src.shape()) / rows);
            MemorySegment all = arena.allocate((long) rb * rows);
            q.quantize(src, 0, rows, null, all);
            MemorySegment one = arena.allocate(rb);
            q.quantize(src, 1, 1, null, one);
            assertArrayEquals(all.asSlice(rb, rb).toArray(ValueLayout.JAVA_BYTE), one.toArray(ValueLayout.JAVA_BYTE));
            MemorySegment weighted = arena.allocate((long) rb * rows);
            q.quantize(src, 0, rows, imp, weighted);
            boolean differs = !java.util.Arrays.equals(all.toArray(ValueLayout.JAVA_BYTE),
                    weighted.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(WITH_IMATRIX.contains(name), differs, name + ": output changes with importance");
        }
    }
}
