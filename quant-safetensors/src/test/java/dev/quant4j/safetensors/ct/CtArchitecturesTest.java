package dev.quant4j.safetensors.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.json.JsonParser;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.safetensors.io.SafetensorsReader;
import dev.quant4j.safetensors.io.SafetensorsWriter;
import dev.quant4j.safetensors.io.SharedData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * compressed-tensors output from the synthetic qwen2, qwen3, Mixtral-style llama MoE and qwen3moe GGUFs
 * (reference/eval/models). Truth: the Hugging Face tensors each GGUF came from, rebuilt here by an inverse written
 * from convert_hf_to_gguf's rules independently of the writer (names per architecture, merged experts split per
 * expert, llama's Q/K rows un-permuted, qwen's left alone); every one must be in the output, copied exactly or — a
 * Linear, experts included — decoding within the scheme's bound ({@link CtExportTest}'s independent decoder).
 */
class CtArchitecturesTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(CtArchitecturesTest.class.getClassLoader());

    @ParameterizedTest
    @CsvSource({"synth-qwen2,W8A8", "synth-qwen2,W4A16_ASYM", "synth-qwen3,W4A16", "synth-qwen3,FP8_BLOCK",
            "synth-moe,FP8_DYNAMIC", "synth-moe,W4A16", "synth-qwen3moe,W8A8", "synth-qwen3moe,W4A16"})
    void decodesToTheHfTensorsTheGgufCameFrom(String model, CtScheme scheme, @TempDir Path tmp) throws Exception {
        Path gguf = SharedData.require("reference/eval/models/" + model + ".gguf");
        Path expected = tmp.resolve("expected");
        Files.createDirectories(expected);
        int experts;
        try (ModelReader r = REGISTRY.format("gguf").open(gguf)) {
            experts = writeHf(r, expected.resolve("model.safetensors"));
        }
        Path out = tmp.resolve("out");
        // F32 scales (so the expected Linears are F32, holding the F16 values exactly): with F16 ones, the default for
        // F16 weights, a row's absmax element can land just past the clamp, half a step plus the scale's rounding away,
        // which the decoder's half-step bound does not allow
        CtFormatProviderTest.export(gguf, out, Map.of("scheme", scheme.name(), "source", gguf.toString(), "scale-dtype", "f32"));
        CtExportTest.assertTensorsDecodeWithinBound(expected, out, scheme);

        JsonValue.Obj cfg = (JsonValue.Obj) JsonParser.parse(Files.readString(out.resolve("config.json")));
        String arch = switch (model) {
            case "synth-qwen2" -> "Qwen2ForCausalLM qwen2";
            case "synth-qwen3" -> "Qwen3ForCausalLM qwen3";
            case "synth-moe" -> "MixtralForCausalLM mixtral";
            default -> "Qwen3MoeForCausalLM qwen3_moe";
        };
        assertEquals(arch, ((JsonValue.Str) cfg.array("architectures").orElseThrow().values().getFirst()).value() + " "
                + cfg.string("model_type").orElseThrow());
        assertEquals(4L, cfg.integer("num_hidden_layers").orElseThrow());
        assertEquals(64L, cfg.integer("head_dim").orElseThrow());
        List<JsonValue> ignore = cfg.object("quantization_config").orElseThrow().array("ignore").orElseThrow().values();
        List<String> wantIgnore = switch (model) {
            case "synth-moe" -> List.of("lm_head", "re:.*block_sparse_moe.gate$");
            case "synth-qwen3moe" -> List.of("lm_head", "re:.*mlp.gate$");
            default -> List.of("lm_head");
        };
        assertEquals(wantIgnore, ignore.stream().map(v -> ((JsonValue.Str) v).value()).toList());
        if (experts > 0) {
            assertEquals((long) experts, cfg.integer(model.equals("synth-moe") ? "num_local_experts" : "num_experts").orElseThrow());
            assertEquals(2L, cfg.integer("num_experts_per_tok").orElseThrow());
        }
        try (SafetensorsReader ct = SafetensorsReader.open(out)) {
            long expertModules = ct.tensors().stream().filter(t -> t.name().contains(".experts.")
                    && t.name().endsWith(scheme == CtScheme.W4A16 || scheme == CtScheme.W4A16_ASYM ? ".weight_packed" : ".weight")).count();
            assertEquals(4L * 3 * experts, expertModules, "one compressed module per expert matrix");
        }
    }

    /** The HF checkpoint of a GGUF: convert_hf_to_gguf's mapping undone; returns the expert count (0 if dense). */
    private static int writeHf(ModelReader r, Path file) throws Exception {
        String arch = r.metadata().getString("general.architecture").orElseThrow();
        boolean llama = arch.equals("llama");
        int heads = (int) (long) r.metadata().getLong(arch + ".attention.head_count").orElseThrow();
        int kvHeads = (int) (long) r.metadata().getLong(arch + ".attention.head_count_kv").orElseThrow();
        List<ModelLayout.TensorSlot> slots = new ArrayList<>();
        List<MemorySegment> data = new ArrayList<>();
        int experts = 0;
        for (TensorInfo t : r.tensors()) {
            MemorySegment bytes = r.view(t).data();
            String[] p = t.name().split("\\.");
            if (t.shape().rank() == 3) {
                experts = (int) t.shape().ne(2);
                Shape one = Shape.of(t.shape().ne(0), t.shape().ne(1));
                long size = TensorInfo.byteSize(t.type(), one);
                String kind = p[2].substring(4, p[2].length() - 5); // gate, up, down
                String w = llama ? Map.of("gate", "w1", "down", "w2", "up", "w3").get(kind) : kind + "_proj";
                for (int e = 0; e < experts; e++) {
                    slots.add(new ModelLayout.TensorSlot("model.layers." + p[1] + "." + (llama ? "block_sparse_moe" : "mlp")
                            + ".experts." + e + "." + w + ".weight", DType.F32, one, 4 * one.elementCount()));
                    data.add(widen(new TensorView(t.name(), t.type(), one, bytes.asSlice(e * size, size))));
                }
                continue;
            }
            String name = switch (t.name()) {
                case "token_embd.weight" -> "model.embed_tokens.weight";
                case "output_norm.weight" -> "model.norm.weight";
                case "output.weight" -> "lm_head.weight";
                default -> "model.layers." + p[1] + "." + Map.ofEntries(Map.entry("attn_norm", "input_layernorm"),
                        Map.entry("ffn_norm", "post_attention_layernorm"), Map.entry("attn_q", "self_attn.q_proj"),
                        Map.entry("attn_k", "self_attn.k_proj"), Map.entry("attn_v", "self_attn.v_proj"),
                        Map.entry("attn_output", "self_attn.o_proj"), Map.entry("attn_q_norm", "self_attn.q_norm"),
                        Map.entry("attn_k_norm", "self_attn.k_norm"), Map.entry("ffn_gate", "mlp.gate_proj"),
                        Map.entry("ffn_up", "mlp.up_proj"), Map.entry("ffn_down", "mlp.down_proj"),
                        Map.entry("ffn_gate_inp", llama ? "block_sparse_moe.gate" : "mlp.gate")).get(p[2]) + "." + p[3];
            };
            if (llama && p.length > 2 && (p[2].equals("attn_q") || p[2].equals("attn_k"))) {
                bytes = unpermute(bytes, t.shape().rank() == 1 ? t.shape().ne(0) : t.shape().ne(1), p[2].equals("attn_q") ? heads : kvHeads);
            }
            if (name.endsWith("_proj.weight")) { // the Linears
                slots.add(new ModelLayout.TensorSlot(name, DType.F32, t.shape(), 4 * t.shape().elementCount()));
                data.add(widen(new TensorView(name, t.type(), t.shape(), bytes)));
            } else {
                slots.add(new ModelLayout.TensorSlot(name, t.type(), t.shape(), t.byteSize()));
                data.add(bytes);
            }
        }
        try (ModelWriter w = SafetensorsWriter.create(file, new ModelLayout(new dev.quant4j.api.tensor.Metadata(List.of()), slots),
                WriteOptions.SINGLE_FILE)) {
            for (int i = 0; i < slots.size(); i++) {
                w.write(i, 0, data.get(i));
            }
            w.commit();
        }
        return experts;
    }

    private static MemorySegment widen(TensorView v) {
        float[] f = new float[(int) v.shape().elementCount()];
        v.readRows(0, (int) v.rows(), f, 0);
        MemorySegment out = Arena.ofAuto().allocate(4L * f.length);
        MemorySegment.copy(f, 0, out, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, f.length);
        return out;
    }

    /** HF row h·P + s·P/2 + j is GGUF row h·P + 2j + s (convert's LlamaModel.permute, undone). */
    private static MemorySegment unpermute(MemorySegment gguf, long rows, int heads) {
        long rowBytes = gguf.byteSize() / rows;
        long per = rows / heads;
        MemorySegment hf = Arena.ofAuto().allocate(gguf.byteSize());
        for (long h = 0; h < heads; h++) {
            for (long s = 0; s < 2; s++) {
                for (long j = 0; j < per / 2; j++) {
                    MemorySegment.copy(gguf, (h * per + 2 * j + s) * rowBytes, hf, (h * per + s * per / 2 + j) * rowBytes, rowBytes);
                }
            }
        }
        return hf;
    }
}
