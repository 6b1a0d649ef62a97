package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Byte-exactness against llama.cpp: for every case of {@code shared/vectors/<TYPE>/} (or, without shared/, of
 * the bundled conformance subset: see {@link ConformanceVectors}), quantizing the input
 * (with the importance row where the case has one) gives exactly the expected bytes, and dequantizing the
 * expected bytes gives exactly the expected floats (bit for bit). Subclass per ggml type:
 *
 * <pre>{@code
 * class Q8_0VectorsTest extends GgmlReferenceVectorsTestCase {
 *     protected String vectorType() { return "Q8_0"; }
 *     protected Quantizer quantizer() { return new Q8_0Provider().create(new NoOptions()); }
 * }
 * }</pre>
 */
public abstract class GgmlReferenceVectorsTestCase {
    /** Folder name under {@code shared/vectors}, e.g. {@code Q4_K}. */
    protected abstract String vectorType();

    /** The quantizer under test. */
    protected abstract Quantizer quantizer();

    /** Whether the quantizer under test can dequantize (checked against the dequant files when true). */
    protected boolean dequantizes() {
        return true;
    }

    @TestFactory
    Stream<DynamicTest> referenceBytes() throws IOException {
        ConformanceVectors.Source source = ConformanceVectors.locate(vectorType());
        List<GgmlVectorCase> cases = GgmlVectorCase.load(source.folder());
        Quantizer q = quantizer();
        ConformanceVectors.recordRun(getClass(), vectorType(), cases.size() * (dequantizes() ? 2 : 1), source);
        return cases.stream().flatMap(c -> {
            Stream<DynamicTest> quant = Stream.of(DynamicTest.dynamicTest(c + " quantize", () -> checkQuantize(q, c)));
            Stream<DynamicTest> deq = dequantizes()
                    ? Stream.of(DynamicTest.dynamicTest(c + " dequantize", () -> checkDequantize(q, c)))
                    : Stream.empty();
            return Stream.concat(quant, deq);
        });
    }

    private static void checkQuantize(Quantizer q, GgmlVectorCase c) throws IOException {
        Shape shape = Shape.of(c.rowLength(), c.rows());
        TensorView src = TensorView.ofFloats(c.name(), shape, c.inputFloats());
        byte[] expected = c.expectedBytes();
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(expected.length, q.encodedBytes(c.name(), shape), c + ": encoded size");
            MemorySegment out = arena.allocate(expected.length);
            q.quantize(src, 0, c.rows(), c.importance(), out);
            byte[] got = out.toArray(ValueLayout.JAVA_BYTE);
            for (int i = 0; i < expected.length; i++) {
                if (got[i] != expected[i]) {
                    long rowBytes = expected.length / c.rows();
                    fail(c + ": first differing byte at " + i + " (row " + i / rowBytes + ", byte " + i % rowBytes
                            + " of the row): expected " + (expected[i] & 0xFF) + ", got " + (got[i] & 0xFF));
                }
            }
        }
    }

    private static void checkDequantize(Quantizer q, GgmlVectorCase c) throws IOException {
        Shape shape = Shape.of(c.rowLength(), c.rows());
        float[] expected = c.expectedDequant();
        float[] got = new float[expected.length];
        q.dequantize(MemorySegment.ofArray(c.expectedBytes()), shape, 0, c.rows(), got);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected[i])) {
                fail(c + ": dequantized element " + i + " (row " + i / c.rowLength() + ") expected "
                        + expected[i] + ", got " + got[i]);
            }
        }
    }
}
