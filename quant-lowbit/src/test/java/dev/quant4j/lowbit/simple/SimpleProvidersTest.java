package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Discovery, descriptors and the Quantizer contract of the simple providers. */
class SimpleProvidersTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(SimpleProvidersTest.class.getClassLoader());

    private static Quantizer quantizer(String name) {
        @SuppressWarnings("unchecked")
        QuantizerProvider<NoOptions> p = (QuantizerProvider<NoOptions>) REGISTRY.quantizer(name);
        return p.create(p.defaultOptions());
    }

    @ParameterizedTest
    @CsvSource({"tq1_0,TQ1_0,false", "tq2_0,TQ2_0,false", "iq4_nl,IQ4_NL,true", "iq4_xs,IQ4_XS,true",
        "mxfp4,MXFP4,false", "nvfp4,NVFP4,false", "q1_0,Q1_0,false",
        "q2_0,Q2_0,false"})
    void discoveredByNameWithDeclaredCapabilities(String name, DType type, boolean usesImportance) {
        var d = REGISTRY.quantizer(name).descriptor();
        assertEquals(name, d.name());
        assertTrue(d.has(Capability.DEQUANTIZE) && d.has(Capability.ROW_INDEPENDENT) && d.has(Capability.GGML_EXACT));
        assertEquals(usesImportance, d.has(Capability.USES_CALIBRATION));
        assertEquals(new TensorEncoding.Ggml(type), quantizer(name).encoding());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tq1_0", "tq2_0", "iq4_nl", "iq4_xs", "mxfp4", "nvfp4", "q1_0", "q2_0"})
    void importanceChangesBytesOnlyWhereDeclared(String name) {
        Quantizer q = quantizer(name);
        Shape shape = Shape.of(512, 3);
        TensorView src = TensorView.ofFloats("t", shape, gaussian(512 * 3, 7));
        float[] imp = new float[512];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < imp.length; i++) {
            imp[i] = (float) (0.01 + rnd.nextDouble() * 4);
        }
        byte[] plain = encode(q, src, 0, 3, null);
        byte[] weighted = encode(q, src, 0, 3, imp);
        boolean uses = REGISTRY.quantizer(name).descriptor().has(Capability.USES_CALIBRATION);
        assertEquals(!uses, java.util.Arrays.equals(plain, weighted));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tq1_0", "tq2_0", "iq4_nl", "iq4_xs", "mxfp4", "nvfp4", "q1_0", "q2_0"})
    void rowRangesEncodeLikeTheWholeTensorAndRoundTripClosely(String name) {
        Quantizer q = quantizer(name);
        Shape shape = Shape.of(768, 5);
        float[] x = gaussian(768 * 5, 11);
        float[] copy = x.clone();
        TensorView src = TensorView.ofFloats("t", shape, x);
        byte[] whole = encode(q, src, 0, 5, null);
        int rb = whole.length / 5;
        byte[] tail = encode(q, src, 2, 3, null);
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 2 * rb, 5 * rb), tail);
        assertArrayEquals(copy, x);
        float[] back = new float[x.length];
        q.dequantize(MemorySegment.ofArray(whole), shape, 0, 5, back);
        double err = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            err += (x[i] - back[i]) * (x[i] - back[i]);
            ref += x[i] * x[i];
        }
        // ternary, sign-only (q1_0) and 2-bit (q2_0) codes of Gaussian data are coarse
        double bound = name.startsWith("tq") || name.equals("q1_0") || name.equals("q2_0") ? 0.85 : 0.15;
        assertTrue(Math.sqrt(err / ref) < bound, name + " relative RMSE " + Math.sqrt(err / ref));
    }

    @ParameterizedTest
    @CsvSource({"tq1_0,256", "tq2_0,256", "iq4_nl,32", "iq4_xs,256", "mxfp4,32", "nvfp4,64", "q1_0,128", "q2_0,64"})
    void refusesPartialBlocksNamingTensorAndBlockSize(String name, int block) {
        QuantException e = assertThrows(QuantException.class,
                () -> quantizer(name).encodedBytes("blk.0.ffn_down.weight", Shape.of(block + 16, 2)));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e.code());
        assertTrue(e.getMessage().contains("blk.0.ffn_down.weight") && e.getMessage().contains(" " + block + " "),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tq1_0", "tq2_0", "iq4_nl", "iq4_xs", "mxfp4", "nvfp4", "q1_0", "q2_0"})
    void refusesNonFiniteInputNamingRowAndColumn(String name) {
        float[] x = new float[512];
        x[300] = Float.NaN;
        Quantizer q = quantizer(name);
        TensorView src = TensorView.ofFloats("w", Shape.of(256, 2), x);
        QuantException e = assertThrows(QuantException.class,
                () -> q.quantize(src, 0, 2, null, MemorySegment.ofArray(new byte[(int) q.encodedBytes("w", src.shape())])));
        assertEquals(ErrorCode.NON_FINITE_INPUT, e.code());
        assertTrue(e.getMessage().contains("row 1, column 44"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"iq4_xs,0080aaaa00000000,88,128", "tq2_0,,55,64", "tq1_0,,80,48"})
    void allZeroBlocksAsTheSpecStates(String name, String head, String fill, int count) {
        // spec sections 5.2 and 6: the encodings of a 256-block of zeros
        String tail = switch (name) {
            case "tq2_0" -> "0000";
            case "tq1_0" -> "7f7f7f7f0000";
            default -> "";
        };
        byte[] expected = HexFormat.of().parseHex((head == null ? "" : head) + fill.repeat(count) + tail);
        Quantizer q = quantizer(name);
        assertArrayEquals(expected, encode(q, TensorView.ofFloats("z", Shape.of(256), new float[256]), 0, 1, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tq1_0", "tq2_0"})
    void ternaryHandComputedBlock(String name) {
        // amax = 2, so x/amax rounds (half away from zero) to -1, 0, +1: 1.0 -> +1, -0.99 -> 0 (−0.495), 2 -> +1
        float[] x = new float[256];
        x[0] = 1.0f;
        x[1] = -0.99f;
        x[2] = 2f;
        x[3] = -2f;
        x[255] = -1.0f;
        Quantizer q = quantizer(name);
        byte[] bytes = encode(q, TensorView.ofFloats("t", Shape.of(256), x), 0, 1, null);
        float[] back = new float[256];
        q.dequantize(MemorySegment.ofArray(bytes), Shape.of(256), 0, 1, back);
        float[] expected = new float[256];
        expected[0] = 2f;
        expected[2] = 2f;
        expected[3] = -2f;
        expected[255] = -2f;
        assertArrayEquals(expected, back);
        if (name.equals("tq2_0")) {
            // element 0 in byte 0 bits 0-1 (trit 2), elements 1, 2, 3 in bytes 1, 2, 3 bits 0-1
            assertEquals(0x56, bytes[0] & 0xFF);
            assertEquals(0x55, bytes[1] & 0xFF);
            assertEquals(0x56, bytes[2] & 0xFF);
            assertEquals(0x54, bytes[3] & 0xFF);
            assertEquals(0x15, bytes[63] & 0xFF);   // element 255 = 128 + 96 + 31: bits 6-7 of byte 63
            assertEquals(0x4000, (bytes[64] & 0xFF) | (bytes[65] & 0xFF) << 8);  // fp16(2.0)
        } else {
            // byte 0 holds elements 0, 32, 64, 96, 128 = trits 2,1,1,1,1 = 2*81+40 = 202 -> ceil(202*256/243) = 213
            assertEquals(213, bytes[0] & 0xFF);
        }
    }

    static byte[] encode(Quantizer q, TensorView src, long first, long rows, float[] imp) {
        long rb = q.encodedBytes(src.name(), src.shape()) / src.rows();
        MemorySegment out = MemorySegment.ofArray(new byte[(int) (rb * rows)]);
        q.quantize(src, first, rows, imp, out);
        return out.toArray(ValueLayout.JAVA_BYTE);
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (gauss(rnd) * 0.02);
        }
        return x;
    }

    private static double gauss(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
