package dev.quant4j.lowbit.bitnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.Half;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bitnet-absmean on trained weights of stories260K (llama2.c checkpoint). Its rows are 64 or 172 long, never a
 * multiple of 256, so each tensor is flattened (row-major, as stored) and cut into rows of 256: the blocks span
 * model rows. Sparsity and RMSE are recomputed here independently (double-precision absmean, and separately
 * from the decoded TQ bytes) and must sit in the range a ternary absmean code gives on bell-shaped weights.
 */
class Stories260kTernaryTest {
    private static float[] weights;
    private static int dim;
    private static int hidden;
    private static int layers;
    private static int kvDim;
    private static int vocab;

    @BeforeAll
    static void load() throws IOException {
        Path bin = SharedData.require("models/stories260K.bin");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
        dim = b.getInt();
        hidden = b.getInt();
        layers = b.getInt();
        int heads = b.getInt();
        int kvHeads = b.getInt();
        vocab = Math.abs(b.getInt());
        b.getInt();
        kvDim = dim * kvHeads / heads;
        weights = new float[b.remaining() / 4];
        b.asFloatBuffer().get(weights);
    }

    /** Float offset of the layer-{@code layer} slice of {@code tensor} in the checkpoint (header excluded). */
    private static int offset(String tensor, int layer) {
        int emb = vocab * dim;
        int att = layers * dim;
        int wq = layers * dim * dim;
        int wkv = layers * kvDim * dim;
        int wo = layers * dim * dim;
        int ffnNorm = layers * dim;
        int w1 = layers * hidden * dim;
        int w2 = layers * dim * hidden;
        return switch (tensor) {
            case "wq" -> emb + att + layer * dim * dim;
            case "wo" -> emb + att + wq + 2 * wkv + layer * dim * dim;
            case "w1" -> emb + att + wq + 2 * wkv + wo + ffnNorm + layer * hidden * dim;
            case "w2" -> emb + att + wq + 2 * wkv + wo + ffnNorm + w1 + layer * dim * hidden;
            case "w3" -> emb + att + wq + 2 * wkv + wo + ffnNorm + w1 + w2 + layer * hidden * dim;
            default -> throw new IllegalArgumentException(tensor);
        };
    }

    private static int size(String tensor) {
        return tensor.equals("wq") || tensor.equals("wo") ? dim * dim : hidden * dim;
    }

    @ParameterizedTest
    @CsvSource({"w1,0", "w2,0", "w3,4", "wq,0", "wo,2"})
    void sparsityAndRmseOnRealWeights(String tensor, int layer) {
        assertEquals(94848, offset("w1", 0), "layout of the checkpoint (shared/README.md)");
        int n = size(tensor);
        assertEquals(0, n % 256);
        float[] w = new float[n];
        System.arraycopy(weights, offset(tensor, layer), w, 0, n);
        Shape shape = Shape.of(256, n / 256);
        TensorView view = TensorView.ofFloats(tensor, shape, w);

        BitnetAbsmeanQuantizer q = new BitnetAbsmeanQuantizer(TernaryLayout.TQ2_0);
        TernaryStats stats = q.stats(view);

        // independent 1: absmean in double
        long zeros = 0;
        double sse = 0;
        double sumSq = 0;
        for (int base = 0; base < n; base += 256) {
            double s = 0;
            for (int j = base; j < base + 256; j++) {
                s += Math.abs(w[j]);
            }
            double gamma = s / 256 + 1e-8;
            double d = Half.roundTrip((float) gamma);
            for (int j = base; j < base + 256; j++) {
                double level = Math.rint(Math.max(-1, Math.min(1, w[j] / gamma)));
                zeros += level == 0 ? 1 : 0;
                sse += (w[j] - level * d) * (w[j] - level * d);
                sumSq += (double) w[j] * w[j];
            }
        }
        assertEquals((double) zeros / n, stats.sparsity(), 2.0 / n, "sparsity");
        assertEquals(Math.sqrt(sse / n), stats.rmse(), 1e-3 * stats.rmse(), "rmse");

        // independent 2: decode the TQ2_0 bytes the way llama.cpp does and measure again
        MemorySegment enc = MemorySegment.ofArray(new byte[(int) q.encodedBytes(tensor, shape)]);
        q.quantize(view, 0, shape.rows(), null, enc);
        float[] back = new float[n];
        q.dequantize(enc, shape, 0, shape.rows(), back);
        long decodedZeros = 0;
        double decodedSse = 0;
        for (int i = 0; i < n; i++) {
            decodedZeros += back[i] == 0 ? 1 : 0;
            decodedSse += (w[i] - (double) back[i]) * (w[i] - (double) back[i]);
        }
        assertEquals((double) decodedZeros / n, stats.sparsity(), 0.0, "sparsity from decoded bytes");
        assertEquals(Math.sqrt(decodedSse / n), stats.rmse(), 1e-12, "rmse from decoded bytes");

        // plausible for a ternary absmean code of bell-shaped weights: Gaussian gives 31 % zeros (threshold
        // 0.4 sigma) and a relative RMSE of 0.51; heavier tails give more zeros and more error
        double rel = stats.rmse() / Math.sqrt(sumSq / n);
        assertTrue(stats.sparsity() > 0.25 && stats.sparsity() < 0.50, tensor + " sparsity " + stats.sparsity());
        assertTrue(rel > 0.45 && rel < 0.75, tensor + " relative RMSE " + rel);
    }

    @ParameterizedTest
    @CsvSource({"w1,0", "wq,1"})
    void bothLayoutsDecodeToLevelTimesFp16Gamma(String tensor, int layer) {
        int n = size(tensor);
        float[] w = new float[n];
        System.arraycopy(weights, offset(tensor, layer), w, 0, n);
        Shape shape = Shape.of(256, n / 256);
        float[] expected = new float[n];
        for (int base = 0; base < n; base += 256) {
            float gamma = Absmean.gamma(w, base);
            float d = Half.f32(Absmean.storedScale(gamma));
            for (int j = base; j < base + 256; j++) {
                expected[j] = Absmean.level(w[j], gamma) * d;
            }
        }
        for (TernaryLayout layout : List.of(TernaryLayout.TQ2_0, TernaryLayout.TQ1_0)) {
            BitnetAbsmeanQuantizer q = new BitnetAbsmeanQuantizer(layout);
            MemorySegment enc = MemorySegment.ofArray(new byte[(int) q.encodedBytes(tensor, shape)]);
            q.quantize(TensorView.ofFloats(tensor, shape, w), 0, shape.rows(), null, enc);
            // decode with the ggml TQ dequantizer (checked against llama.cpp's own output by the vector tests)
            float[] back = new float[n];
            new dev.quant4j.lowbit.simple.TernaryQuantizer(layout.type()).dequantize(enc, shape, 0, shape.rows(), back);
            assertArrayEquals(expected, back, layout.name());
        }
    }
}
