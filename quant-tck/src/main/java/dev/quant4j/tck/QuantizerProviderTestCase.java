package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Conformance of a {@link QuantizerProvider}. A plugin's test is three lines:
 *
 * <pre>{@code
 * class Q8_0ProviderTest extends QuantizerProviderTestCase {
 *     @Override protected QuantizerProvider<?> provider() { return new Q8_0Provider(); }
 * }
 * }</pre>
 *
 * Hooks with defaults: {@link #options()}, {@link #sampleShape()}, {@link #sampleValues}, {@link #sampleImportance},
 * {@link #maxRelativeRmse()}, {@link #assertNonFiniteHandled}. Every check is a final test method, so a
 * subclass can add tests but cannot weaken the contract except through those hooks.
 */
public abstract class QuantizerProviderTestCase extends ProviderTestCase<QuantizerProvider<?>> {
    /** The tensor name the kit quantizes (it must appear in error messages). */
    protected static final String TENSOR = "blk.0.ffn_down.weight";

    @Override
    final ProviderKind expectedKind() {
        return ProviderKind.QUANTIZER;
    }

    /** Shape of the sample tensor: 8 rows of 256 by default (a whole number of blocks of every ggml type). */
    protected Shape sampleShape() {
        return Shape.of(256, 8);
    }

    /** Sample weights for {@code shape}; each seed gives another tensor. */
    protected float[] sampleValues(Shape shape, long seed) {
        return Samples.weights(shape, seed);
    }

    /** The importance row given to quantizers that use or require calibration. */
    protected float[] sampleImportance(Shape shape, long seed) {
        return Samples.importance(shape.rowLength(), seed);
    }

    /**
     * Largest relative RMSE, {@code sqrt(sum((x - y)^2) / sum(x^2))}, a quantize/dequantize round trip of the
     * sample may show. Defaults to {@link #defaultRelativeRmseBound(double)} of the bits per weight; override
     * to declare the method's own bound.
     */
    protected double maxRelativeRmse() {
        return defaultRelativeRmseBound(bitsPerWeight());
    }

    /**
     * A loose bound for Gaussian-like weights at {@code bitsPerWeight} (scales included): about twice what
     * plain block-absmax integer quantization gives. Formats with few mantissa bits (FP8 E5M2) or ternary
     * methods below 2.9 bits should declare their own.
     */
    public static double defaultRelativeRmseBound(double bitsPerWeight) {
        if (bitsPerWeight >= 15.9) {
            return 0.005;
        } else if (bitsPerWeight >= 7.9) {
            return 0.05;
        } else if (bitsPerWeight >= 5.9) {
            return 0.06;
        } else if (bitsPerWeight >= 4.9) {
            return 0.10;
        } else if (bitsPerWeight >= 3.9) {
            return 0.18;
        } else if (bitsPerWeight >= 2.9) {
            return 0.32;
        } else if (bitsPerWeight >= 1.9) {
            return 0.55;
        }
        return 0.9;
    }

    /**
     * What must happen when {@code input} holds {@code value} (NaN or an infinity) at {@code row}, {@code column}.
     * By default, as the Quantizer contract says: QuantException(NON_FINITE_INPUT) naming the tensor, the row
     * and the column. Override when the method documents another behaviour.
     */
    protected void assertNonFiniteHandled(Quantizer quantizer, TensorView input, float[] importance,
                                          long row, long column, float value) {
        try {
            Quant.whole(quantizer, input, importance);
        } catch (QuantException e) {
            assertEquals(ErrorCode.NON_FINITE_INPUT, e.code(), "input with " + value + ": wrong error code: " + e);
            String msg = String.valueOf(e.getMessage());
            assertTrue(msg.contains(input.name()), "the error for " + value + " must name tensor '" + input.name()
                    + "': " + msg);
            assertTrue(Quant.mentionsNumber(msg, row) && Quant.mentionsNumber(msg, column), "the error for "
                    + value + " must give its row " + row + " and column " + column + ": " + msg);
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("input with " + value + " must fail with QuantException(NON_FINITE_INPUT), not "
                    + e, e);
        }
        fail("input with " + value + " at row " + row + ", column " + column + " was quantized silently; "
                + "it must fail with QuantException(NON_FINITE_INPUT) naming tensor, row and column");
    }

    /** A quantizer configured with {@link #options()}. */
    protected final Quantizer quantizer() {
        return create(provider(), options());
    }

    private static <O extends Record> Quantizer create(QuantizerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    /** Encoded bits per weight of the sample shape. */
    protected final double bitsPerWeight() {
        Shape s = sampleShape();
        return 8.0 * quantizer().encodedBytes(TENSOR, s) / s.elementCount();
    }

    private boolean has(Capability c) {
        return provider().descriptor().has(c);
    }

    /** Importance for calls that are not about calibration: given exactly when the method reads it. */
    private float[] importanceFor(Shape s, long seed) {
        return has(Capability.REQUIRES_CALIBRATION) || has(Capability.USES_CALIBRATION) ? sampleImportance(s, seed) : null;
    }

    private TensorView sample(long seed) {
        Shape s = sampleShape();
        return TensorView.ofFloats(TENSOR, s, sampleValues(s, seed));
    }

    /** DEQUANTIZE is declared exactly when dequantize works (else it throws QuantException UNSUPPORTED_TYPE). */
    @Test
    public final void dequantizeCapabilityMatchesBehaviour() {
        Quantizer q = quantizer();
        Shape s = sampleShape();
        byte[] enc = Quant.whole(q, sample(1), importanceFor(s, 1));
        float[] out = new float[Math.toIntExact(s.elementCount())];
        boolean declared = has(Capability.DEQUANTIZE);
        try {
            q.dequantize(MemorySegment.ofArray(enc), s, 0, s.rows(), out);
        } catch (QuantException e) {
            if (declared) {
                throw new AssertionError("DEQUANTIZE is declared but dequantize fails: " + e, e);
            }
            assertEquals(ErrorCode.UNSUPPORTED_TYPE, e.code(), "dequantize without DEQUANTIZE: wrong code: " + e);
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(declared ? "DEQUANTIZE is declared but dequantize fails: " + e
                    : "dequantize without DEQUANTIZE must throw QuantException(UNSUPPORTED_TYPE), not " + e, e);
        }
        assertTrue(declared, "dequantize works but DEQUANTIZE is not declared; declare it so callers use it");
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                fail("dequantized element " + i + " is " + out[i] + " for finite input");
            }
        }
    }

    /**
     * ROW_INDEPENDENT: every row takes {@code encodedBytes / rows} bytes, and quantizing rows alone or in
     * ranges gives the same bytes (and, with DEQUANTIZE, the same floats) as the whole tensor.
     */
    @Test
    public final void rowIndependentCapabilityHolds() {
        Assumptions.assumeTrue(has(Capability.ROW_INDEPENDENT), "not ROW_INDEPENDENT");
        Shape s = sampleShape();
        Assumptions.assumeTrue(s.rows() >= 2, "the sample shape has one row");
        Quantizer q = quantizer();
        TensorView src = sample(2);
        float[] imp = importanceFor(s, 2);
        byte[] whole = Quant.whole(q, src, imp);
        int rows = Math.toIntExact(s.rows());
        assertEquals(0, whole.length % rows, "ROW_INDEPENDENT but " + whole.length + " bytes for " + rows + " rows");
        int rb = whole.length / rows;
        for (int r = 0; r < rows; r++) {
            Quant.assertSameBytes(Arrays.copyOfRange(whole, r * rb, (r + 1) * rb), Quant.rows(q, src, r, 1, imp, rb),
                    "row " + r + " quantized alone differs from the same row of the whole tensor");
        }
        int k = Math.max(1, rows / 3);
        byte[] split = new byte[whole.length];
        System.arraycopy(Quant.rows(q, src, 0, k, imp, rb), 0, split, 0, k * rb);
        System.arraycopy(Quant.rows(q, src, k, rows - k, imp, rb), 0, split, k * rb, (rows - k) * rb);
        Quant.assertSameBytes(whole, split, "rows [0," + k + ") and [" + k + "," + rows + ") quantized apart differ "
                + "from the whole tensor");
        if (has(Capability.DEQUANTIZE)) {
            int n = Math.toIntExact(s.rowLength());
            float[] all = new float[rows * n];
            q.dequantize(MemorySegment.ofArray(whole), s, 0, rows, all);
            for (int r = 0; r < rows; r++) {
                float[] one = new float[n];
                q.dequantize(MemorySegment.ofArray(Arrays.copyOfRange(whole, r * rb, (r + 1) * rb)), s, r, 1, one);
                assertTrue(Arrays.equals(Arrays.copyOfRange(all, r * n, (r + 1) * n), one),
                        "row " + r + " dequantized alone differs from the whole tensor's row");
            }
        }
    }

    /**
     * REQUIRES_CALIBRATION: without importance, QuantException(MISSING_CALIBRATION) naming the tensor; with it,
     * success. Otherwise quantizing without importance works (and with it too when USES_CALIBRATION).
     */
    @Test
    public final void calibrationCapabilityMatchesBehaviour() {
        Quantizer q = quantizer();
        Shape s = sampleShape();
        if (has(Capability.REQUIRES_CALIBRATION)) {
            try {
                Quant.whole(q, sample(3), null);
                fail("REQUIRES_CALIBRATION is declared but quantizing without importance succeeded");
            } catch (QuantException e) {
                assertEquals(ErrorCode.MISSING_CALIBRATION, e.code(), "no importance: wrong code: " + e);
                assertTrue(String.valueOf(e.getMessage()).contains(TENSOR),
                        "the MISSING_CALIBRATION error must name tensor '" + TENSOR + "': " + e.getMessage());
            }
        } else {
            Quant.whole(q, sample(3), null);
        }
        if (has(Capability.REQUIRES_CALIBRATION) || has(Capability.USES_CALIBRATION)) {
            Quant.whole(q, sample(3), sampleImportance(s, 3));
        }
    }

    /**
     * GGML_EXACT implies a {@link TensorEncoding.Ggml} encoding; a ggml encoding takes exactly the type's block
     * geometry, and a row that is not whole blocks is refused with UNSUPPORTED_SHAPE naming the tensor.
     */
    @Test
    public final void ggmlExactCapabilityMatchesEncoding() {
        Quantizer q = quantizer();
        TensorEncoding enc = q.encoding();
        assertTrue(enc != null && enc.name() != null && !enc.name().isBlank(), "encoding() must be named: " + enc);
        if (has(Capability.GGML_EXACT)) {
            assertTrue(enc instanceof TensorEncoding.Ggml, "GGML_EXACT is declared but the encoding is " + enc);
        }
        Assumptions.assumeTrue(enc instanceof TensorEncoding.Ggml, "not a ggml encoding");
        DType t = ((TensorEncoding.Ggml) enc).type();
        Shape s = sampleShape();
        for (Shape shape : new Shape[] {s, Shape.of(s.rowLength(), 2, 3)}) {
            assertEquals(t.rowBytes(shape.rowLength()) * shape.rows(), q.encodedBytes(TENSOR, shape),
                    "encodedBytes of " + t.lowerName() + " " + shape + " must follow the type's block geometry ("
                            + t.blockSize() + " values in " + t.blockBytes() + " bytes)");
        }
        if (t.blockSize() > 1) {
            Shape partial = Shape.of(t.blockSize() + t.blockSize() / 2, 2);
            try {
                long got = q.encodedBytes(TENSOR, partial);
                fail("encodedBytes accepted row length " + partial.rowLength() + " (not whole blocks of "
                        + t.blockSize() + ") and answered " + got);
            } catch (QuantException e) {
                assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e.code(), "partial block: wrong code: " + e);
                assertTrue(String.valueOf(e.getMessage()).contains(TENSOR),
                        "the UNSUPPORTED_SHAPE error must name tensor '" + TENSOR + "': " + e.getMessage());
            }
        }
    }

    /** With DEQUANTIZE, a round trip of the sample stays within {@link #maxRelativeRmse()}. */
    @Test
    public final void roundTripWithinDeclaredBound() {
        Assumptions.assumeTrue(has(Capability.DEQUANTIZE), "no DEQUANTIZE");
        Quantizer q = quantizer();
        Shape s = sampleShape();
        float[] x = sampleValues(s, 4);
        byte[] enc = Quant.whole(q, TensorView.ofFloats(TENSOR, s, x), importanceFor(s, 4));
        float[] y = new float[x.length];
        q.dequantize(MemorySegment.ofArray(enc), s, 0, s.rows(), y);
        double err = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            err += d * d;
            ref += (double) x[i] * x[i];
        }
        double rel = Math.sqrt(err / ref);
        double bound = maxRelativeRmse();
        double bpw = 8.0 * enc.length / s.elementCount();
        assertTrue(rel <= bound, String.format("relative RMSE %.5f exceeds the bound %.5f (%.3f bits per weight)",
                rel, bound, bpw));
    }

    /** Same input, same bytes: twice through one instance and once through a fresh one. */
    @Test
    public final void deterministic() {
        Quantizer q = quantizer();
        Shape s = sampleShape();
        byte[] first = Quant.whole(q, sample(5), importanceFor(s, 5));
        Quant.assertSameBytes(first, Quant.whole(q, sample(5), importanceFor(s, 5)),
                "the same instance quantized the same tensor differently the second time");
        Quant.assertSameBytes(first, Quant.whole(quantizer(), sample(5), importanceFor(s, 5)),
                "a fresh instance quantized the same tensor differently");
    }

    /** Quantizing leaves the source bytes and the importance row alone; dequantizing leaves the encoding alone. */
    @Test
    public final void inputUntouched() {
        Quantizer q = quantizer();
        Shape s = sampleShape();
        byte[] src = Samples.encode(DType.F32, sampleValues(s, 6));
        byte[] srcCopy = src.clone();
        float[] imp = sampleImportance(s, 6);
        float[] impCopy = imp.clone();
        boolean usesImportance = has(Capability.REQUIRES_CALIBRATION) || has(Capability.USES_CALIBRATION);
        byte[] enc = Quant.whole(q, Samples.view(TENSOR, DType.F32, s, src), usesImportance ? imp : null);
        assertTrue(Arrays.equals(srcCopy, src), "quantize changed the source tensor's bytes");
        assertTrue(Arrays.equals(impCopy, imp), "quantize changed the caller's importance array");
        if (has(Capability.DEQUANTIZE)) {
            byte[] encCopy = enc.clone();
            q.dequantize(MemorySegment.ofArray(enc), s, 0, s.rows(), new float[Math.toIntExact(s.elementCount())]);
            assertTrue(Arrays.equals(encCopy, enc), "dequantize changed the encoded bytes it read");
        }
    }

    /** The same values given as F32, F16 or BF16 (as readers hand them over) quantize to the same bytes. */
    @Test
    public final void sourceTypeDoesNotMatter() {
        Quantizer q = quantizer();
        Shape s = sampleShape();
        float[] x = Samples.exactInHalfTypes(sampleValues(s, 7));
        byte[] f32 = Quant.whole(q, Samples.view(TENSOR, DType.F32, s, x), importanceFor(s, 7));
        for (DType t : new DType[] {DType.F16, DType.BF16}) {
            byte[] other;
            try {
                other = Quant.whole(q, Samples.view(TENSOR, t, s, x), importanceFor(s, 7));
            } catch (RuntimeException e) {
                throw new AssertionError("an " + t + " source fails (read rows with TensorView.readRow): " + e, e);
            }
            Quant.assertSameBytes(f32, other, "the same values as " + t + " quantize differently than as F32");
        }
    }

    /**
     * One instance, four threads, each quantizing its own tensors concurrently: every result equals the one
     * computed alone. Shared scratch buffers or lazily filled caches without safe publication fail here.
     */
    @Test
    public final void threadSafe() throws Exception {
        ThreadSafetyProbe.run(quantizer(), 4, 16, seed -> sample(100 + seed),
                seed -> importanceFor(sampleShape(), 100 + seed));
    }

    /** NaN, +Inf and -Inf in the input are handled as {@link #assertNonFiniteHandled} expects. */
    @Test
    public final void nonFiniteInputHandled() {
        Quantizer q = quantizer();
        Shape s = sampleShape();
        long row = Math.min(5, s.rows() - 1);
        long col = Math.min(137, s.rowLength() - 1);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = sampleValues(s, 8);
            x[Math.toIntExact(row * s.rowLength() + col)] = bad;
            assertNonFiniteHandled(q, TensorView.ofFloats(TENSOR, s, x), importanceFor(s, 8), row, col, bad);
        }
    }
}
