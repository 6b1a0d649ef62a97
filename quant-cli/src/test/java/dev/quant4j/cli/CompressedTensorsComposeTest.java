package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.QuantizerSpec;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.engine.FormatExport;
import dev.quant4j.kernels.gptq.HessianFile;
import dev.quant4j.tck.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compressed-tensors output composed with --transform and --gptq. Truth: the two-step path (quant transform, then
 * the plain export) for the transforms, the weights the compressed checkpoint decodes to, the scheme's own
 * quantizer as the transform target, and for GPTQ its own objective (the output error Σ_r e_r H e_rᵀ with the
 * Hessian it collected) against RTN's.
 */
class CompressedTensorsComposeTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(CompressedTensorsComposeTest.class.getClassLoader());
    private static final String CT = "compressed-tensors";

    private static Path train() {
        return SharedData.require("reference/trained/tiny-shakespeare-256-train.txt");
    }

    @Test
    void transformInsideTheExportEqualsTransformThenExport(@TempDir Path tmp) throws Exception {
        Path gguf = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path t = tmp.resolve("sq.gguf");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("transform", gguf.toString(), t.toString(), "smoothquant",
                "--calibration", train().toString(), "--calibration-chunks", "2", "-t", "2");
        assertEquals(0, r.code(), r.err());
        r = QuantizeCommandTest.quant("quantize", "--output-format", CT, t.toString(), tmp.resolve("two").toString(), "W8A8");
        assertEquals(0, r.code(), r.err());
        r = QuantizeCommandTest.quant("quantize", "--output-format", CT, "--transform", "smoothquant", "--calibration",
                train().toString(), "--calibration-chunks", "2", "-t", "2", gguf.toString(), tmp.resolve("one").toString(), "W8A8");
        assertEquals(0, r.code(), r.err());
        assertEquals(-1, Files.mismatch(tmp.resolve("two/model.safetensors"), tmp.resolve("one/model.safetensors")));
        r = QuantizeCommandTest.quant("quantize", "--output-format", CT, gguf.toString(), tmp.resolve("plain").toString(), "W8A8");
        assertEquals(0, r.code(), r.err());
        try (ModelReader plain = open(tmp.resolve("plain")); ModelReader sq = open(tmp.resolve("one"))) {
            // the norm that absorbed 1/s is written transformed, and the smoothed weights differ
            assertNotEquals(values(plain, "blk.0.attn_norm.weight")[0], values(sq, "blk.0.attn_norm.weight")[0]);
            assertNotEquals(values(plain, "blk.0.attn_q.weight")[0], values(sq, "blk.0.attn_q.weight")[0]);
            assertEquals(values(plain, "token_embd.weight")[5], values(sq, "token_embd.weight")[5]);
        }
        try (var s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp")), "temporary model deleted");
        }
    }

    @Test
    void transformsSearchAgainstTheSchemesQuantizer() throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Map<String, QuantizerSpec> w4 = FormatExport.quantizers(REGISTRY, hf, CT, opts("W4A16"));
        assertEquals(42, w4.size(), "every Linear of 6 layers, not the embeddings, norms or output head");
        assertEquals(new QuantizerSpec("int4", Map.of("layout", CT, "group-size", "128", "symmetric", "true",
                "scale-dtype", "f32")), w4.get("blk.3.ffn_down.weight"));
        assertFalse(w4.containsKey("output.weight") || w4.containsKey("token_embd.weight"));
        assertEquals(new QuantizerSpec("int8", Map.of("layout", CT, "scale-dtype", "f32")),
                FormatExport.quantizers(REGISTRY, hf, CT, opts("W8A8")).get("blk.0.attn_q.weight"));
    }

    @Test
    void awqChangesTheW4A16Checkpoint(@TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", CT, "--transform",
                "awq:grid=4", "--calibration", train().toString(), "--calibration-chunks", "2", "-t", "2", hf.toString(),
                tmp.resolve("awq").toString(), "W4A16");
        assertEquals(0, r.code(), r.err());
        r = QuantizeCommandTest.quant("quantize", "--output-format", CT, hf.toString(), tmp.resolve("rtn").toString(), "W4A16");
        assertEquals(0, r.code(), r.err());
        assertNotEquals(-1, Files.mismatch(tmp.resolve("awq/model.safetensors"), tmp.resolve("rtn/model.safetensors")));
        assertEquals(-1, Files.mismatch(hf.resolve("tokenizer.model"), tmp.resolve("awq/tokenizer.model")),
                "a Hugging Face source's files are copied from the source, not from the temporary model");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var want = mapper.readTree(hf.resolve("config.json").toFile());
        var cfg = mapper.readTree(tmp.resolve("awq/config.json").toFile());
        want.fieldNames().forEachRemaining(k -> assertEquals(want.get(k), cfg.get(k), "config.json " + k));
        var q = cfg.get("quantization_config");
        assertEquals("pack-quantized", q.get("format").asText());
        var weights = q.get("config_groups").get("group_0").get("weights");
        assertEquals(128, weights.get("group_size").asInt());
        assertEquals(4, weights.get("num_bits").asInt());
        assertTrue(weights.get("symmetric").asBoolean());
        assertTrue(q.get("config_groups").get("group_0").get("input_activations").isNull());
    }

    @Test
    void gptqLowersItsOutputErrorBelowRtn(@TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path hessians = tmp.resolve("h.hessians");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", CT, "--gptq",
                "--calibration", train().toString(), "--gptq-ctx", "128", "--gptq-chunks", "4", "--gptq-hessians",
                hessians.toString(), "-t", "2", hf.toString(), tmp.resolve("gptq").toString(), "W4A16");
        assertEquals(0, r.code(), r.err());
        r = QuantizeCommandTest.quant("quantize", "--output-format", CT, hf.toString(), tmp.resolve("rtn").toString(), "W4A16");
        assertEquals(0, r.code(), r.err());
        try (HessianFile h = HessianFile.open(hessians); ModelReader src = open(hf);
             ModelReader gptq = open(tmp.resolve("gptq")); ModelReader rtn = open(tmp.resolve("rtn"))) {
            for (String name : new String[] {"blk.0.attn_q.weight", "blk.2.ffn_down.weight", "blk.5.attn_output.weight"}) {
                float[] w = values(src, name);
                double[] hm = h.hessian(name, -1);
                int cols = (int) Math.round(Math.sqrt(hm.length));
                double eg = outputError(w, values(gptq, name), hm, cols);
                double er = outputError(w, values(rtn, name), hm, cols);
                assertTrue(eg < 0.95 * er, name + ": GPTQ output error " + eg + " vs RTN " + er);
            }
        }
    }

    @Test
    void combinationsThatCannotWorkAreRefusedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", CT, "--gptq",
                "--calibration", train().toString(), hf.toString(), tmp.resolve("o").toString(), "W8A8");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("GPTQ needs a group-quantized scheme (W4A16, W4A16_ASYM)"), r.err());
        r = QuantizeCommandTest.quant("quantize", "--output-format", CT, "--calibration", train().toString(),
                hf.toString(), tmp.resolve("o").toString(), "W8A8");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--calibration is read by --transform and --gptq"), r.err());
        r = QuantizeCommandTest.quant("quantize", "--output-format", CT, "--transform", "awq", "--planner-option", "x=y",
                hf.toString(), tmp.resolve("o").toString(), "W4A16");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--planner/--target-*: only for GGUF output"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
        assertFalse(Files.exists(tmp.resolve("o.hessians")));
    }

    private static WriteOptions opts(String scheme) {
        return WriteOptions.SINGLE_FILE.withFormatOptions(Map.of("scheme", scheme));
    }

    private static ModelReader open(Path p) throws Exception {
        return REGISTRY.formatFor(p).orElseThrow().open(p);
    }

    private static float[] values(ModelReader r, String name) throws java.io.IOException {
        TensorInfo t = r.tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        var v = r.view(t);
        float[] out = new float[Math.toIntExact(t.shape().elementCount())];
        v.readRows(0, Math.toIntExact(v.rows()), out, 0);
        return out;
    }

    /** Σ over rows of (w − q) H (w − q)ᵀ. */
    private static double outputError(float[] w, float[] q, double[] h, int cols) {
        double sum = 0;
        double[] e = new double[cols];
        for (int r = 0; r < w.length / cols; r++) {
            for (int c = 0; c < cols; c++) {
                e[c] = w[r * cols + c] - q[r * cols + c];
            }
            for (int i = 0; i < cols; i++) {
                double acc = 0;
                for (int j = 0; j < cols; j++) {
                    acc += h[i * cols + j] * e[j];
                }
                sum += e[i] * acc;
            }
        }
        return sum;
    }
}
