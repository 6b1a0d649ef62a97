package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Qwen-MoE checkpoint layouts convert_hf_to_gguf's Qwen2MoeModel handles beyond one matrix per expert: fused
 * {@code mlp.experts.gate_up_proj}/{@code down_proj} tensors (transformers 5) and Qwen2-MoE's shared expert. Each
 * HF folder is written from {@code synth-qwen3moe.gguf} by the independent inverse {@link HfFromGguf}; the view must
 * give back the reference's tensors byte for byte (GGUF → HF → GGUF) and, for the shared expert, the tensors the
 * inverse derived (expert 0's matrices as {@code ffn_*_shexp}, router row 0 as {@code ffn_gate_inp_shexp}).
 */
class HfQwenMoeVariantsTest {
    private static final String MODEL = "synth-qwen3moe";

    @Test
    void fusedGateUpExpertsConvertBackByteForByteAndRunLikeTheReference(@TempDir Path tmp) throws IOException {
        Path ref = Reference.model(MODEL);
        Path hf = folder(HfFromGguf.Kind.QWEN3MOE, true, tmp);
        FormatProvider gguf = LlamaLogitsTest.REGISTRY.format("gguf");
        try (ModelReader expected = gguf.open(ref); ModelReader ours = LlamaLogitsTest.REGISTRY.formatFor(hf).orElseThrow().open(hf)) {
            assertEquals(expected.tensors().size(), ours.tensors().size(), "tensor count");
            Map<String, MemorySegment> want = new TreeMap<>();
            for (TensorInfo t : expected.tensors()) {
                want.put(t.name(), expected.view(t).data());
            }
            assertEquals(List.of(), differences(expected.tensors(), want, ours));
            assertEquals(expected.metadata().get("qwen3moe.expert_feed_forward_length"),
                    ours.metadata().get("qwen3moe.expert_feed_forward_length"));
        }
        int[] ids = Reference.ids(MODEL);
        RunOptions options = RunOptions.defaults().withThreads(2);
        float[] fromGguf;
        try (ModelRunner runner = ModelRunner.open(ref, LlamaLogitsTest.REGISTRY, options)) {
            fromGguf = runner.logits(ids);
        }
        try (ModelRunner runner = ModelRunner.open(hf, LlamaLogitsTest.REGISTRY, options)) {
            float[] fromHf = runner.logits(ids);
            double max = 0;
            for (int i = 0; i < fromHf.length; i++) {
                max = Math.max(max, Math.abs(fromHf[i] - fromGguf[i]));
            }
            assertTrue(max <= 1e-4, "fused-expert HF folder vs reference GGUF logits: max |diff| " + max);
        }
    }

    @Test
    void qwen2MoeSharedExpertMapsToShexpTensorsAndKeys(@TempDir Path tmp) throws IOException {
        Path ref = Reference.model(MODEL);
        Path hf = folder(HfFromGguf.Kind.QWEN2MOE, false, tmp);
        FormatProvider gguf = LlamaLogitsTest.REGISTRY.format("gguf");
        try (ModelReader expected = gguf.open(ref); ModelReader ours = LlamaLogitsTest.REGISTRY.formatFor(hf).orElseThrow().open(hf)) {
            List<TensorInfo> want = new ArrayList<>(expected.tensors());
            Map<String, MemorySegment> bytes = new TreeMap<>();
            for (TensorInfo t : expected.tensors()) {
                bytes.put(t.name(), expected.view(t).data());
            }
            long layers = expected.metadata().getLong("qwen3moe.block_count").orElseThrow();
            for (long layer = 0; layer < layers; layer++) {
                long l = layer;
                for (String k : List.of("gate", "up", "down")) {
                    TensorInfo exps = expected.tensors().stream().filter(t -> t.name().equals("blk." + l + ".ffn_" + k + "_exps.weight"))
                            .findFirst().orElseThrow();
                    Shape s = Shape.of(exps.shape().ne(0), exps.shape().ne(1));
                    String name = "blk." + l + ".ffn_" + k + "_shexp.weight";
                    want.add(new TensorInfo(name, exps.type(), s, 0, TensorInfo.byteSize(exps.type(), s)));
                    bytes.put(name, bytes.get(exps.name()).asSlice(0, TensorInfo.byteSize(exps.type(), s)));
                }
                TensorInfo router = expected.tensors().stream().filter(t -> t.name().equals("blk." + l + ".ffn_gate_inp.weight"))
                        .findFirst().orElseThrow();
                Shape s = Shape.of(router.shape().ne(0), 1);
                String name = "blk." + l + ".ffn_gate_inp_shexp.weight";
                want.add(new TensorInfo(name, DType.F32, s, 0, TensorInfo.byteSize(DType.F32, s)));
                bytes.put(name, bytes.get(router.name()).asSlice(0, 4 * router.shape().ne(0)));
            }
            assertEquals(want.size(), ours.tensors().size(), "tensor count");
            assertEquals(List.of(), differences(want, bytes, ours));
            Metadata m = ours.metadata();
            assertEquals("qwen2moe", m.getString("general.architecture").orElseThrow());
            List<String> keys = new ArrayList<>();
            for (Metadata.Entry e : expected.metadata().entries()) {
                if (e.key().startsWith("qwen3moe.") && !e.key().equals("qwen3moe.vocab_size")) {
                    String k = "qwen2moe." + e.key().substring("qwen3moe.".length());
                    if (!e.value().equals(m.get(k).orElse(null))) {
                        keys.add(k + ": " + m.get(k) + " vs " + e.value());
                    }
                }
            }
            assertEquals(List.of(), keys, "hyper-parameters");
            assertEquals(MetaValue.u32(expected.metadata().getLong("qwen3moe.expert_feed_forward_length").orElseThrow()),
                    m.get("qwen2moe.expert_shared_feed_forward_length").orElseThrow());
        }
    }

    /**
     * compressed-tensors output of a Qwen2-MoE model read as GGUF-shaped (the HF folder's view, without its
     * config.json): every HF tensor of the folder comes back by name — Linears (experts and the shared expert
     * included) as compressed modules, the rest copied byte for byte (the F32 shared-expert gate and the routers,
     * which quantization_config ignores) — and the rebuilt config.json (Qwen2MoeForCausalLM) converts back to the
     * same hyper-parameters.
     */
    @Test
    void qwen2MoeToCompressedTensorsAndBack(@TempDir Path tmp) throws IOException {
        Path hf = folder(HfFromGguf.Kind.QWEN2MOE, false, tmp);
        Path ct = tmp.resolve("ct");
        Metadata viewMetadata;
        try (ModelReader view = LlamaLogitsTest.REGISTRY.formatFor(hf).orElseThrow().open(hf)) {
            viewMetadata = view.metadata();
            HfArchitecturesTest.compressedTensors(view, ct);
        }
        try (ModelReader folder = LlamaLogitsTest.REGISTRY.format("safetensors").open(hf.resolve("model.safetensors"));
             ModelReader out = LlamaLogitsTest.REGISTRY.format("safetensors").open(ct.resolve("model.safetensors"))) {
            Map<String, TensorInfo> written = new TreeMap<>();
            out.tensors().forEach(t -> written.put(t.name(), t));
            List<String> wrong = new ArrayList<>();
            for (TensorInfo t : folder.tensors()) {
                boolean linear = t.name().endsWith("_proj.weight");
                String module = t.name().substring(0, t.name().length() - ".weight".length());
                TensorInfo w = written.get(t.name());
                if (linear ? w == null || w.type() != DType.I8 || !written.containsKey(module + ".weight_scale")
                        : w == null || out.view(w).data().mismatch(folder.view(t).data()) != -1) {
                    wrong.add(t.name() + (w == null ? " missing" : " " + w.type()));
                }
            }
            assertEquals(List.of(), wrong);
            assertEquals(folder.tensors().size() + folder.tensors().stream().filter(t -> t.name().endsWith("_proj.weight")).count(),
                    out.tensors().size(), "each Linear as weight + weight_scale, nothing else added");
        }
        String config = Files.readString(ct.resolve("config.json"));
        assertTrue(config.contains("\"Qwen2MoeForCausalLM\"") && config.contains("\"re:.*mlp.shared_expert_gate$\"")
                && config.contains("\"re:.*mlp.gate$\""), config);
        Files.copy(ct.resolve("config.json"), hf.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        try (ModelReader back = LlamaLogitsTest.REGISTRY.formatFor(hf).orElseThrow().open(hf)) {
            List<String> keys = new ArrayList<>();
            for (Metadata.Entry e : viewMetadata.entries()) {
                if (e.key().startsWith("qwen2moe.") && !e.value().equals(back.metadata().get(e.key()).orElse(null))) {
                    keys.add(e.key() + ": " + back.metadata().get(e.key()) + " vs " + e.value());
                }
            }
            assertEquals(List.of(), keys, "hyper-parameters through the rebuilt config.json");
        }
    }

    /** The reference written back as an HF folder of {@code kind} ({@code fused}: fused expert tensors). */
    private static Path folder(HfFromGguf.Kind kind, boolean fused, Path tmp) throws IOException {
        Path hf = tmp.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + (fused ? "-fused" : ""));
        try (ModelReader r = LlamaLogitsTest.REGISTRY.format("gguf").open(Reference.model(MODEL))) {
            HfFromGguf.write(r, kind, hf, Reference.file("models/tok512.model"), fused);
        }
        return hf;
    }

    private static List<String> differences(List<TensorInfo> want, Map<String, MemorySegment> bytes, ModelReader ours)
            throws IOException {
        Map<String, TensorInfo> byName = new TreeMap<>();
        ours.tensors().forEach(t -> byName.put(t.name(), t));
        List<String> differ = new ArrayList<>();
        for (TensorInfo e : want) {
            TensorInfo o = byName.get(e.name());
            if (o == null || o.type() != e.type() || !o.shape().equals(e.shape())
                    || ours.view(o).data().mismatch(bytes.get(e.name())) != -1) {
                differ.add(e.name() + (o == null ? " missing" : " " + o.type() + " " + o.shape() + " vs " + e.type() + " " + e.shape()));
            }
        }
        return differ;
    }
}
