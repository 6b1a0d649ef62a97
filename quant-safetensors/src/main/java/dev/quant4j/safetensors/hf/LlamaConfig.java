package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.json.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hyper-parameters of a llama-family config.json (llama, Mixtral, qwen2, qwen3, qwen3moe) and the general.* /
 * ARCH.* keys convert_hf_to_gguf writes for it.
 */
record LlamaConfig(HfArch arch, long layers, Optional<Long> context, long embd, Optional<Long> ff, int heads, int kvHeads,
                   Optional<Double> ropeTheta, Optional<Double> rmsEps, Optional<Long> headDim, long vocab,
                   Optional<Double> linearRopeFactor, Optional<String> nameOrPath, Optional<Long> experts,
                   Optional<Long> expertsUsed, Optional<Long> expertFf, Optional<Long> sharedExpertFf) {

    static LlamaConfig of(Path file, JsonValue.Obj c, HfArch arch) throws CorruptFormatException {
        long heads = need(file, c, "num_attention_heads");
        JsonValue.Obj rope = c.object("rope_parameters").or(() -> c.object("rope_scaling")).orElse(new JsonValue.Obj(java.util.Map.of()));
        Optional<Double> linear = Optional.empty();
        String ropeType = rope.string("rope_type").or(() -> rope.string("type")).orElse("default");
        if (ropeType.equals("linear")) {
            linear = rope.number("factor");
        } else if (!ropeType.equals("default")) {
            throw new CorruptFormatException(file, 0, "rope_scaling", "rope type " + ropeType + " is not supported yet"
                    + " (supported: none, linear)");
        }
        return new LlamaConfig(arch, need(file, c, "num_hidden_layers"), first(c, "max_position_embeddings", "n_ctx",
                "n_positions", "max_length", "max_sequence_length", "model_max_length"), need(file, c, "hidden_size"),
                first(c, "intermediate_size"), heads(file, "num_attention_heads", heads),
                heads(file, "num_key_value_heads", c.integer("num_key_value_heads").orElse(heads)),
                c.number("rope_theta").or(() -> rope.number("rope_theta")), c.number("rms_norm_eps"),
                c.integer("head_dim"), need(file, c, "vocab_size"), linear, c.string("_name_or_path"),
                first(c, "num_local_experts", "num_experts", "n_routed_experts"),
                first(c, "num_experts_per_tok", "num_experts_per_token", "top_k_experts"),
                c.integer("moe_intermediate_size"), c.integer("shared_expert_intermediate_size"));
    }

    private static int heads(Path file, String key, long v) throws CorruptFormatException {
        if (v < 1 || v > 1 << 20) {
            throw new CorruptFormatException(file, 0, key, v + " is not a plausible head count (1.." + (1 << 20) + ")");
        }
        return (int) v;
    }

    private static long need(Path file, JsonValue.Obj c, String key) throws CorruptFormatException {
        return c.integer(key).filter(v -> v > 0).orElseThrow(() -> new CorruptFormatException(file, 0, key,
                "missing or not a positive integer"));
    }

    private static Optional<Long> first(JsonValue.Obj c, String... keys) {
        for (String k : keys) {
            if (c.integer(k).isPresent()) {
                return c.integer(k);
            }
        }
        return Optional.empty();
    }

    /** Keys up to general.quantization_version, in convert_hf_to_gguf's order. */
    List<Metadata.Entry> entries(Path dir, long params, DType stored) throws java.io.IOException {
        List<Metadata.Entry> e = new ArrayList<>();
        String a = arch.gguf();
        add(e, "general.architecture", new MetaValue.Text(a));
        add(e, "general.type", new MetaValue.Text("model"));
        e.addAll(GenerationConfig.entries(dir));
        // gguf-py Metadata: config.json's _name_or_path when it is a model id, then the directory name
        ModelId dirId = ModelId.parse(dir.toAbsolutePath().normalize().getFileName().toString(), params);
        ModelId hfId = nameOrPath.filter(n -> n.chars().filter(c -> c == '/').count() <= 1)
                .map(n -> ModelId.parse(n, params)).orElse(null);
        String name = ModelId.title(hfId != null ? hfId.name() : dirId.name());
        add(e, "general.name", new MetaValue.Text(name));
        first(hfId == null ? null : hfId.version(), dirId.version()).ifPresent(v -> add(e, "general.version", new MetaValue.Text(v)));
        first(hfId == null ? null : hfId.finetune(), dirId.finetune()).ifPresent(v -> add(e, "general.finetune", new MetaValue.Text(v)));
        first(hfId == null ? null : hfId.basename(), dirId.basename()).ifPresent(v -> add(e, "general.basename", new MetaValue.Text(v)));
        add(e, "general.size_label", new MetaValue.Text(hfId != null && hfId.sizeLabel() != null ? hfId.sizeLabel()
                : GeneralNames.sizeLabel(params)));
        add(e, a + ".block_count", MetaValue.u32(layers));
        context.ifPresent(v -> add(e, a + ".context_length", MetaValue.u32(v)));
        add(e, a + ".embedding_length", MetaValue.u32(embd));
        ff.ifPresent(v -> add(e, a + ".feed_forward_length", MetaValue.u32(v)));
        add(e, a + ".attention.head_count", MetaValue.u32(heads));
        add(e, a + ".attention.head_count_kv", MetaValue.u32(kvHeads));
        linearRopeFactor.ifPresent(f -> {
            add(e, a + ".rope.scaling.type", new MetaValue.Text("linear"));
            add(e, a + ".rope.scaling.factor", f32(f));
        });
        ropeTheta.ifPresent(v -> add(e, a + ".rope.freq_base", f32(v)));
        rmsEps.ifPresent(v -> add(e, a + ".attention.layer_norm_rms_epsilon", f32(v)));
        experts.ifPresent(v -> add(e, a + ".expert_count", MetaValue.u32(v)));
        expertsUsed.ifPresent(v -> add(e, a + ".expert_used_count", MetaValue.u32(v)));
        headDim.ifPresent(v -> {
            add(e, a + ".attention.key_length", MetaValue.u32(v));
            add(e, a + ".attention.value_length", MetaValue.u32(v));
        });
        add(e, "general.file_type", MetaValue.u32(switch (stored) {
            case F16 -> 1;
            case BF16 -> 32;
            default -> 0;
        }));
        if (arch.writesVocabAndRopeDims()) {
            add(e, a + ".vocab_size", MetaValue.u32(vocab));
            add(e, a + ".rope.dimension_count", MetaValue.u32(headDim.orElse(embd / heads)));
        }
        if (arch.writesExpertFeedForward()) {
            expertFf.ifPresent(v -> add(e, a + ".expert_feed_forward_length", MetaValue.u32(v)));
            sharedExpertFf.ifPresent(v -> add(e, a + ".expert_shared_feed_forward_length", MetaValue.u32(v)));
        }
        add(e, "general.quantization_version", MetaValue.u32(2));
        return e;
    }

    private static Optional<String> first(String a, String b) {
        return Optional.ofNullable(a != null ? a : b);
    }

    private static MetaValue f32(double v) {
        return new MetaValue.Real(MetaType.FLOAT32, (float) v);
    }

    private static void add(List<Metadata.Entry> e, String key, MetaValue v) {
        e.add(new Metadata.Entry(key, v));
    }
}
