package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.importance.gptq.BlockRounding;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry's {@code gptq} quantizer (quant-importance) in front of the installed quantizers (quant-int, quant-lowbit): with no feedback
 * (a diagonal Hessian) the blocks GPTQ rounds are RTN's and the written bytes are RTN's; on correlated inputs
 * GPTQ's layer output error ‖(W − Ŵ)X‖ is below RTN's for every type.
 */
class GptqTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(GptqTest.class.getClassLoader());
    private static final int ROWS = 24;
    private static final int COLS = 768;

    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"q4_k", "q3_k", "q2_k", "q5_k", "q6_k", "q8_0", "q4_0", "q5_1", "iq4_xs", "iq4_nl", "iq3_s",
            "iq2_xxs"})
    void zeroFeedbackGivesRtnBlocksAndBytes(String type) throws IOException {
        Random rnd = new Random(type.hashCode());
        float[] w = weights(rnd);
        TensorActivationStats imp = importance(rnd);
        TensorStep step = step(type, imp);
        double[] h = new double[COLS * COLS];
        for (int j = 0; j < COLS; j++) {
            h[j * COLS + j] = 1 + j % 5; // diagonal: U has no off-diagonal entries, nothing is fed back
        }
        TensorView src = TensorView.ofFloats("blk.0.ffn_down.weight", Shape.of(COLS, ROWS), w);
        Path file = hessians(type, h);
        for (boolean actOrder : new boolean[] {false, true}) {
            TensorStep g = gptq(step, file, actOrder);
            assertArrayEquals(encode(step, src), encode(g, src), type + " bytes, act-order " + actOrder);
        }
        // the rounder on one block of all rows gives the same values as RTN of whole rows (block independence).
        // Legacy types with an imatrix are the exception: llama.cpp weights their search by the mean square of the
        // whole row, which a block alone does not see (docs/gptq.md); without importance they match too.
        boolean rowWide = type.equals("q4_0") || type.equals("q5_1");
        float[] blockImp = rowWide ? null : imp.slice(0);
        TensorStep rtnStep = rowWide ? step(type, null) : step;
        int unit = ((dev.quant4j.api.tensor.TensorEncoding.Ggml) step.quantizer().encoding()).type().blockSize();
        float[] rtn = decode(rtnStep, encode(rtnStep, src));
        int b0 = unit; // the second block
        float[] block = new float[ROWS * unit];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(w, r * COLS + b0, block, r * unit, unit);
        }
        float[] q = new float[ROWS * unit];
        BlockRounding.through(rtnStep.quantizer(), src.name(), blockImp).round(block, ROWS, unit, b0, q);
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < unit; i++) {
                if (q[r * unit + i] != rtn[r * COLS + b0 + i]) {
                    throw new AssertionError(type + ": block value differs from RTN at row " + r + ", column " + (b0 + i)
                            + ": " + q[r * unit + i] + " vs " + rtn[r * COLS + b0 + i]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_k", "q3_k", "q2_k", "q8_0", "q4_0", "iq4_xs", "iq2_xxs"})
    void reducesLayerOutputErrorOnCorrelatedInputs(String type) throws IOException {
        Random rnd = new Random(7);
        int tokens = 2048;
        float[] x = correlatedInputs(tokens, rnd);
        double[] h = new double[COLS * COLS];
        var acc = new dev.quant4j.kernels.gptq.HessianAccumulator(COLS);
        acc.add(x, tokens);
        h = acc.hessian();
        float[] w = weights(rnd);
        TensorActivationStats imp = importanceFrom(x, tokens);
        TensorStep step = step(type, imp);
        TensorView src = TensorView.ofFloats("blk.0.ffn_down.weight", Shape.of(COLS, ROWS), w);
        double rtn = outputError(w, decode(step, encode(step, src)), x, tokens);
        TensorStep g = gptq(step, hessians(type + "-x", h), false);
        byte[] bytes = encode(g, src);
        double gptq = outputError(w, decode(step, bytes), x, tokens);
        System.err.printf("%s: ‖(W−Ŵ)X‖² RTN %.4g, GPTQ %.4g (%.1f%%)%n", type, rtn, gptq, 100 * (gptq / rtn - 1));
        assertTrue(gptq < rtn, type + ": GPTQ " + gptq + " vs RTN " + rtn);
        assertNotEquals(rtn, gptq);
        // row-independent: the rows quantized in two ranges (as the writer's parallel chunks) give the same bytes
        assertArrayEquals(bytes, encodeInTwo(g, src), type + ": row ranges");
    }

    private static TensorStep step(String type, TensorActivationStats imp) {
        var provider = REGISTRY.quantizer(type);
        Quantizer q = Workers.quantizer(provider, Map.of());
        Shape shape = Shape.of(COLS, ROWS);
        TensorInfo info = new TensorInfo("blk.0.ffn_down.weight", DType.F32, shape, 0, 4L * COLS * ROWS);
        TensorPlan plan = new TensorPlan(info.name(), shape, DType.F32,
                ((dev.quant4j.api.tensor.TensorEncoding.Ggml) q.encoding()).type(), type, Map.of(), "test", "");
        var d = REGISTRY.get(dev.quant4j.api.spi.ProviderKind.QUANTIZER, type).descriptor();
        return new TensorStep(info, plan, q, null, imp, q.encodedBytes(info.name(), shape),
                d.has(Capability.ROW_INDEPENDENT), d.has(Capability.DEQUANTIZE));
    }

    /** The registry's gptq quantizer in front of {@code rtn}'s, as {@code --gptq} rewrites a plan step. */
    private static TensorStep gptq(TensorStep rtn, Path hessians, boolean actOrder) {
        Quantizer q = Workers.quantizer(REGISTRY, "gptq", Map.of("type", rtn.plan().quantizer(),
                "hessians", hessians.toString(), "act-order", Boolean.toString(actOrder)));
        assertEquals(rtn.quantizer().encoding(), q.encoding());
        return new TensorStep(rtn.source(), rtn.plan(), q, null, rtn.importance(), rtn.outputBytes(), true, true);
    }

    private static byte[] encodeInTwo(TensorStep step, TensorView v) {
        MemorySegment out = MemorySegment.ofArray(new byte[(int) step.outputBytes()]);
        long rowBytes = step.outputBytes() / ROWS;
        float[] imp = step.importance() == null ? null : step.importance().slice(0);
        int split = 7;
        step.quantizer().quantize(v, 0, split, imp, out.asSlice(0, split * rowBytes));
        step.quantizer().quantize(v, split, ROWS - split, imp, out.asSlice(split * rowBytes));
        return out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private static Path hessians(String tag, double[] h) throws IOException {
        Path f = dir.resolve(tag + ".q4jhes");
        try (var wr = new HessianFile.Writer(f, new HessianFile.Header(new byte[32], new byte[32], 1, 1, 1))) {
            wr.add("blk.0.ffn_down.weight", -1, COLS, 1000, h);
            wr.commit();
        }
        return f;
    }

    private static byte[] encode(TensorStep step, TensorView v) {
        MemorySegment out = MemorySegment.ofArray(new byte[(int) step.outputBytes()]);
        step.quantizer().quantize(v, 0, v.rows(), step.importance() == null ? null : step.importance().slice(0), out);
        return out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private static float[] decode(TensorStep step, byte[] bytes) {
        float[] out = new float[ROWS * COLS];
        step.quantizer().dequantize(MemorySegment.ofArray(bytes), Shape.of(COLS, ROWS), 0, ROWS, out);
        return out;
    }

    private static float[] weights(Random rnd) {
        float[] w = new float[ROWS * COLS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.02 * rnd.nextGaussian() * (1 + (i % COLS) % 17 / 8.0));
        }
        return w;
    }

    private static TensorActivationStats importance(Random rnd) {
        float[] m = new float[COLS];
        for (int i = 0; i < COLS; i++) {
            m[i] = (float) (0.1 + rnd.nextDouble());
        }
        return TensorActivationStats.of("blk.0.ffn_down.weight", COLS, 100, m);
    }

    private static TensorActivationStats importanceFrom(float[] x, int tokens) {
        float[] m = new float[COLS];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < COLS; i++) {
                m[i] += x[t * COLS + i] * x[t * COLS + i] / tokens;
            }
        }
        return TensorActivationStats.of("blk.0.ffn_down.weight", COLS, tokens, m);
    }

    static float[] correlatedInputs(int tokens, Random rnd) {
        int k = 48; // low-rank structure plus noise: strongly correlated columns, like real activations
        float[] basis = new float[k * COLS];
        for (int i = 0; i < basis.length; i++) {
            basis[i] = (float) rnd.nextGaussian();
        }
        float[] x = new float[tokens * COLS];
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < k; j++) {
                float z = (float) rnd.nextGaussian();
                for (int c = 0; c < COLS; c++) {
                    x[t * COLS + c] += z * basis[j * COLS + c];
                }
            }
            for (int c = 0; c < COLS; c++) {
                x[t * COLS + c] += (float) (0.3 * rnd.nextGaussian());
            }
        }
        return x;
    }

    private static double outputError(float[] w, float[] q, float[] x, int tokens) {
        double sum = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int t = 0; t < tokens; t++) {
                double d = 0;
                for (int c = 0; c < COLS; c++) {
                    d += (double) (w[r * COLS + c] - q[r * COLS + c]) * x[t * COLS + c];
                }
                sum += d * d;
            }
        }
        return sum;
    }
}
