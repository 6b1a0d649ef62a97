package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bitnet-absmean} planner end to end: a generated F16 llama model becomes TQ2_0 linear weights,
 * F16 embeddings/head and F32 norms, and llama.cpp's TQ2_0 decoding of the output is exactly the BitNet
 * absmean levels times fp16(gamma) of each source block.
 */
class BitnetQuantizeTest {
    private static final int BLOCK = 256;
    private final QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        QuantRegistry registry = QuantRegistry.load(BitnetQuantizeTest.class.getClassLoader());
        model = new DemoModel(2, 256, 512, 4, 2, 512, 7).write(registry, dir.resolve("small-f16.gguf"));
    }

    @Test
    void typeNamesSelectThePlanner() {
        assertEquals("bitnet-absmean", FileTypes.plannerFor(registry, "bitnet-absmean"));
        assertEquals("bitnet-absmean", FileTypes.plannerFor(registry, "BITNET-ABSMEAN"));
        assertEquals("llama-cpp", FileTypes.plannerFor(registry, "Q4_K_M"));
        assertEquals("llama-cpp", FileTypes.plannerFor(registry, "tq2_0"), "a quantizer name is a llama-cpp file type");
        assertEquals("llama-cpp", FileTypes.plannerFor(registry, "llama-cpp"));
    }

    @Test
    void linearWeightsBecomeAbsmeanTernary(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("bitnet.gguf");
        QuantizeReport report = QuantizeJob.builder(registry).input(model).output(out)
                .planner("bitnet-absmean", Map.of()).threads(2).build().run();
        assertEquals(List.of(), report.warnings(), "every row of the demo model is whole TQ blocks");

        long zeros = 0;
        long ternaryWeights = 0;
        try (ModelReader in = registry.format("gguf").open(model); ModelReader q = registry.format("gguf").open(out)) {
            assertEquals(new MetaValue.Int(MetaType.UINT32, 37), q.metadata().get("general.file_type").orElseThrow());
            assertEquals(new MetaValue.Int(MetaType.UINT32, 2),
                    q.metadata().get("general.quantization_version").orElseThrow());
            assertEquals(in.tensors().stream().map(TensorInfo::name).toList(),
                    q.tensors().stream().map(TensorInfo::name).toList(), "input order");
            for (int i = 0; i < in.tensors().size(); i++) {
                TensorInfo src = in.tensors().get(i);
                TensorInfo dst = q.tensors().get(i);
                assertEquals(expectedType(src), dst.type(), src.name());
                if (dst.type() == DType.TQ2_0) {
                    long[] counts = checkAbsmean(in.view(src), q.view(dst));
                    zeros += counts[0];
                    ternaryWeights += counts[1];
                }
            }
        }
        // per layer: q, output 256x256; k, v 256x128 (2 of 4 KV heads); gate, up, down 256x512
        assertEquals(2L * (2 * 256 * 256 + 2 * 256 * 128 + 3 * 256 * 512), ternaryWeights,
                "every attention and FFN matrix of both layers was ternary");
        double sparsity = (double) zeros / ternaryWeights;
        // Gaussian weights give 0.31 (P(|w| < mean|w|/2)); the demo's outlier columns raise gamma a little
        assertTrue(sparsity > 0.25 && sparsity < 0.45, "sparsity " + sparsity);
        // Gaussian blocks alone give 0.51; the 4 outlier columns per matrix (sigma x 12) are clipped to +-gamma, which
        // adds ~1.9 sigma^2 of error against ~3.25 sigma^2 of signal per 256 columns: sqrt(2.16 / 3.25) = 0.82
        for (TensorResult t : report.tensors()) {
            if (t.targetType().equals("tq2_0")) {
                assertTrue(t.relativeRmse() > 0.7 && t.relativeRmse() < 0.9, t.name() + " rel rmse " + t.relativeRmse());
            }
        }
    }

    private static DType expectedType(TensorInfo t) {
        if (t.name().contains("norm")) {
            return DType.F32;
        }
        if (t.name().equals("token_embd.weight") || t.name().equals("output.weight")) {
            return DType.F16;
        }
        return DType.TQ2_0;
    }

    /**
     * Decodes {@code quantized} with the {@code tq2_0} quantizer (bit-exact with llama.cpp) and checks every
     * value against the absmean rule applied to the source block: {@code rint(clamp(w / gamma, -1, 1)) * fp16(gamma)}
     * with {@code gamma = (sum |w|) / 256 + 1e-8} in binary32. Returns {zeros, weights}.
     */
    private long[] checkAbsmean(TensorView source, TensorView quantized) {
        Quantizer tq2 = quantizer("tq2_0");
        int n = Math.toIntExact(source.rowLength());
        long rows = source.rows();
        float[] decoded = new float[Math.toIntExact(rows * n)];
        tq2.dequantize(quantized.data(), quantized.shape(), 0, rows, decoded);
        float[] w = new float[n];
        long zeros = 0;
        for (long r = 0; r < rows; r++) {
            source.readRow(r, w, 0);
            for (int base = 0; base < n; base += BLOCK) {
                float sum = 0f;
                for (int j = 0; j < BLOCK; j++) {
                    sum += Math.abs(w[base + j]);
                }
                float gamma = sum / BLOCK + 1e-8f;
                float d = Float.float16ToFloat(Float.floatToFloat16(gamma));
                for (int j = 0; j < BLOCK; j++) {
                    float got = decoded[Math.toIntExact(r * n + base + j)];
                    int level = (int) Math.rint(Math.max(-1f, Math.min(1f, w[base + j] / gamma)));
                    String where = source.name() + " row " + r + " col " + (base + j);
                    assertTrue(got == d || got == 0f || got == -d, where + ": " + got + " is not in {-d, 0, d}, d = " + d);
                    assertEquals(level * d, got, 0f, where + " (w = " + w[base + j] + ", gamma = " + gamma + ")");
                    if (got == 0f) {
                        zeros++;
                    }
                }
            }
        }
        return new long[] {zeros, rows * n};
    }

    private Quantizer quantizer(String name) {
        return create(registry.quantizer(name));
    }

    private static <O extends Record> Quantizer create(QuantizerProvider<O> p) {
        return p.create(p.defaultOptions());
    }
}
