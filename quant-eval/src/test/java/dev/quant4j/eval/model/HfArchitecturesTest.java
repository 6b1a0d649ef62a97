package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hugging Face → GGUF for qwen2, qwen3, Mixtral-style llama MoE and qwen3moe, where no llama.cpp-converted file
 * exists: each synthetic reference GGUF (reference/eval/models) is turned back into the HF checkpoint it would come
 * from by an independent inverse ({@link HfFromGguf}), then opened through the registry as the safetensors
 * format's HF → GGUF view. Every tensor must come back byte-identical (name, type, shape, bytes; experts merged,
 * Q/K permuted for llama), every hyper-parameter key of the reference must be equal, and our forward pass on the
 * HF folder must give exactly the logits it gives on the reference GGUF — which match llama.cpp's.
 */
class HfArchitecturesTest {
    @ParameterizedTest
    @CsvSource({"synth-qwen2,QWEN2", "synth-qwen3,QWEN3", "synth-moe,MIXTRAL", "synth-qwen3moe,QWEN3MOE"})
    void convertsBackToTheReferenceAndRunsLikeIt(String model, HfFromGguf.Kind kind, @TempDir Path tmp) throws IOException {
        Path ref = Reference.model(model);
        Path hf = tmp.resolve(model);
        FormatProvider gguf = LlamaLogitsTest.REGISTRY.format("gguf");
        try (ModelReader r = gguf.open(ref)) {
            HfFromGguf.write(r, kind, hf, Reference.file("models/tok512.model"));
        }
        assertLikeTheReference(model, ref, hf);
    }

    /**
     * The config.json the compressed-tensors writer rebuilds from a GGUF's metadata (Qwen2/Qwen3/Mixtral/Qwen3-MoE
     * classes) must make the same model: the HF folder above with the writer's config.json instead of the inverse's
     * must still convert to the reference's hyper-parameters and run to its logits.
     */
    @ParameterizedTest
    @CsvSource({"synth-qwen2,QWEN2", "synth-qwen3,QWEN3", "synth-moe,MIXTRAL", "synth-qwen3moe,QWEN3MOE"})
    void compressedTensorsConfigJsonDescribesTheSameModel(String model, HfFromGguf.Kind kind, @TempDir Path tmp) throws Exception {
        Path ref = Reference.model(model);
        Path hf = tmp.resolve(model);
        Path ct = tmp.resolve("ct");
        FormatProvider gguf = LlamaLogitsTest.REGISTRY.format("gguf");
        try (ModelReader r = gguf.open(ref)) {
            HfFromGguf.write(r, kind, hf, Reference.file("models/tok512.model"));
            compressedTensors(r, ct);
        }
        Files.copy(ct.resolve("config.json"), hf.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        assertLikeTheReference(model, ref, hf);
    }

    /** What the engine's FormatExport does: the model as read, tensor by tensor, into the W8A8 writer (no source dir). */
    static void compressedTensors(ModelReader r, Path out) throws IOException {
        List<ModelLayout.TensorSlot> slots = r.tensors().stream()
                .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList();
        try (ModelWriter w = LlamaLogitsTest.REGISTRY.format("compressed-tensors").create(out,
                new ModelLayout(r.metadata(), slots), new WriteOptions(0, 0).withFormatOptions(Map.of("scheme", "W8A8")),
                LlamaLogitsTest.REGISTRY.quantizers())) {
            int i = 0;
            for (TensorInfo t : r.tensors()) {
                w.write(i++, 0, r.view(t).data());
            }
            w.commit();
        }
    }

    private static void assertLikeTheReference(String model, Path ref, Path hf) throws IOException {
        FormatProvider gguf = LlamaLogitsTest.REGISTRY.format("gguf");
        FormatProvider format = LlamaLogitsTest.REGISTRY.formatFor(hf).orElseThrow();
        assertEquals("safetensors", format.descriptor().name());
        try (ModelReader expected = gguf.open(ref); ModelReader ours = format.open(hf)) {
            Map<String, TensorInfo> byName = new TreeMap<>();
            ours.tensors().forEach(t -> byName.put(t.name(), t));
            assertEquals(expected.tensors().size(), ours.tensors().size(), "tensor count");
            List<String> differ = new ArrayList<>();
            for (TensorInfo e : expected.tensors()) {
                TensorInfo o = byName.get(e.name());
                if (o == null || o.type() != e.type() || !o.shape().equals(e.shape())
                        || ours.view(o).data().mismatch(expected.view(e).data()) != -1) {
                    differ.add(e.name() + (o == null ? " missing" : " " + o.type() + " " + o.shape() + " vs " + e.type() + " " + e.shape()));
                }
            }
            assertEquals(List.of(), differ, "tensors not byte-identical to " + ref);
            String arch = expected.metadata().getString("general.architecture").orElseThrow();
            assertEquals(arch, ours.metadata().getString("general.architecture").orElseThrow());
            List<String> keys = new ArrayList<>();
            for (Metadata.Entry e : expected.metadata().entries()) {
                // the synthetic models' generator (gguf-py's writer, not convert) also wrote ARCH.vocab_size, which
                // convert_hf_to_gguf writes only for llama (LlamaModel); llama.cpp does not read it
                boolean generatorOnly = e.key().equals(arch + ".vocab_size") && !arch.equals("llama");
                if (e.key().startsWith(arch + ".") && !generatorOnly
                        && !e.value().equals(ours.metadata().get(e.key()).orElse(null))) {
                    keys.add(e.key() + ": " + e.value() + " vs " + ours.metadata().get(e.key()));
                }
            }
            assertEquals(List.of(), keys, "hyper-parameters differ");
        }
        int[] ids = Reference.ids(model);
        float[] fromGguf;
        float[] fromHf;
        RunOptions options = RunOptions.defaults().withThreads(2);
        try (ModelRunner runner = ModelRunner.open(ref, LlamaLogitsTest.REGISTRY, options)) {
            fromGguf = runner.logits(ids);
        }
        try (ModelRunner runner = ModelRunner.open(hf, LlamaLogitsTest.REGISTRY, options)) {
            fromHf = runner.logits(ids);
            LogitsComparison c = LogitsComparison.of(fromHf, Reference.logits(model), runner.vocabSize());
            System.err.println(model + " from its HF folder vs llama.cpp: " + c);
            LlamaLogitsTest.assertClose(c);
        }
        // same weights, same graph: equal up to float summation order (the HF folder's tensors sit at other offsets
        // and alignments than the GGUF's, which can change which kernel path sums a dot product)
        assertEquals(fromGguf.length, fromHf.length);
        double max = 0;
        for (int i = 0; i < fromHf.length; i++) {
            max = Math.max(max, Math.abs(fromHf[i] - fromGguf[i]));
        }
        System.err.println(model + " HF folder vs reference GGUF through our forward pass: max |diff| " + max);
        assertTrue(max <= 1e-4, "logits of the HF folder vs the reference GGUF's: max |diff| " + max);
    }
}
