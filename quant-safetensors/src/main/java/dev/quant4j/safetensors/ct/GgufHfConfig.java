package dev.quant4j.safetensors.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.json.JsonValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The config.json transformers writes (save_pretrained, keys sorted) for a GGUF model, rebuilt from its metadata: the
 * inverse of convert_hf_to_gguf's set_gguf_parameters for LlamaForCausalLM, MixtralForCausalLM (llama with
 * experts), Qwen2ForCausalLM, Qwen3ForCausalLM, Qwen2MoeForCausalLM and Qwen3MoeForCausalLM, with the config class's
 * defaults for what a GGUF does not record (dropouts, initializer range, router loss, sliding window off).
 */
final class GgufHfConfig {
    private GgufHfConfig() {
    }

    static JsonValue.Obj of(Metadata m, List<ModelLayout.TensorSlot> tensors) {
        String a = m.getString("general.architecture").orElse("llama");
        long embd = need(m, a + ".embedding_length");
        long heads = need(m, a + ".attention.head_count");
        ModelLayout.TensorSlot embed = tensors.stream().filter(t -> t.name().equals("token_embd.weight")).findFirst()
                .orElseThrow(() -> new QuantException(ErrorCode.INVALID_PLAN, "the model has no token_embd.weight"));
        boolean tied = tensors.stream().noneMatch(t -> t.name().equals("output.weight"));
        Optional<Long> experts = m.getLong(a + ".expert_count").filter(n -> n > 0);
        boolean mixtral = a.equals("llama") && experts.isPresent();
        boolean qwen = a.startsWith("qwen");
        Map<String, JsonValue> c = new LinkedHashMap<>();
        c.put("architectures", new JsonValue.Arr(List.of(new JsonValue.Str(switch (a) {
            case "qwen2" -> "Qwen2ForCausalLM";
            case "qwen3" -> "Qwen3ForCausalLM";
            case "qwen2moe" -> "Qwen2MoeForCausalLM";
            case "qwen3moe" -> "Qwen3MoeForCausalLM";
            default -> mixtral ? "MixtralForCausalLM" : "LlamaForCausalLM";
        }))));
        if (!mixtral && !a.equals("qwen2") && !a.equals("qwen2moe")) { // Qwen2's attention always has biases
            c.put("attention_bias", new JsonValue.Bool(tensors.stream().anyMatch(t -> t.name().matches("blk\\.\\d+\\.attn_q\\.bias"))));
        }
        c.put("attention_dropout", num(0.0));
        c.put("bos_token_id", m.getLong("tokenizer.ggml.bos_token_id").map(GgufHfConfig::num).orElse(new JsonValue.Null()));
        if (qwen && a.endsWith("moe")) {
            c.put("decoder_sparse_step", num(1));
        }
        c.put("eos_token_id", m.getLong("tokenizer.ggml.eos_token_id").map(GgufHfConfig::num).orElse(new JsonValue.Null()));
        c.put("head_dim", num(m.getLong(a + ".attention.key_length").orElse(embd / heads)));
        c.put("hidden_act", new JsonValue.Str("silu"));
        c.put("hidden_size", num(embd));
        c.put("initializer_range", num(0.02));
        m.getLong(a + ".feed_forward_length").ifPresent(v -> c.put("intermediate_size", num(v)));
        c.put("max_position_embeddings", num(m.getLong(a + ".context_length").orElse(2048L)));
        if (qwen) {
            c.put("max_window_layers", num(need(m, a + ".block_count")));
        }
        if (!qwen && !mixtral) {
            c.put("mlp_bias", new JsonValue.Bool(false));
        }
        if (qwen && a.endsWith("moe")) {
            c.put("mlp_only_layers", new JsonValue.Arr(List.of()));
            m.getLong(a + ".expert_feed_forward_length").ifPresent(v -> c.put("moe_intermediate_size", num(v)));
        }
        c.put("model_type", new JsonValue.Str(switch (a) {
            case "qwen2moe" -> "qwen2_moe";
            case "qwen3moe" -> "qwen3_moe";
            default -> mixtral ? "mixtral" : a;
        }));
        if (qwen && a.endsWith("moe")) { // llama.cpp renormalises the top-k weights for qwen3moe, not for qwen2moe
            c.put("norm_topk_prob", new JsonValue.Bool(a.equals("qwen3moe")));
        }
        c.put("num_attention_heads", num(heads));
        experts.filter(x -> qwen).ifPresent(v -> c.put("num_experts", num(v)));
        m.getLong(a + ".expert_used_count").filter(x -> experts.isPresent()).ifPresent(v -> c.put("num_experts_per_tok", num(v)));
        c.put("num_hidden_layers", num(need(m, a + ".block_count")));
        c.put("num_key_value_heads", num(m.getLong(a + ".attention.head_count_kv").orElse(heads)));
        experts.filter(x -> mixtral).ifPresent(v -> c.put("num_local_experts", num(v)));
        if (experts.isPresent()) {
            c.put("output_router_logits", new JsonValue.Bool(false));
        }
        if (!qwen && !mixtral) {
            c.put("pretraining_tp", num(1));
        }
        c.put("rms_norm_eps", real(m, a + ".attention.layer_norm_rms_epsilon").map(GgufHfConfig::num).orElse(num(1e-6)));
        Optional<Double> linear = m.getString(a + ".rope.scaling.type").filter("linear"::equals)
                .flatMap(t -> real(m, a + ".rope.scaling.factor"));
        c.put("rope_scaling", linear.<JsonValue>map(f -> new JsonValue.Obj(Map.of("factor", num(f), "rope_type", new JsonValue.Str("linear"))))
                .orElse(new JsonValue.Null()));
        c.put("rope_theta", num(real(m, a + ".rope.freq_base").orElse(10000.0)));
        if (experts.isPresent()) {
            c.put("router_aux_loss_coef", num(0.001));
        }
        if (mixtral) {
            c.put("router_jitter_noise", num(0.0));
        }
        m.getLong(a + ".expert_shared_feed_forward_length").ifPresent(v -> c.put("shared_expert_intermediate_size", num(v)));
        if (qwen || mixtral) {
            c.put("sliding_window", new JsonValue.Null());
        }
        c.put("tie_word_embeddings", new JsonValue.Bool(tied));
        c.put("torch_dtype", new JsonValue.Str(switch (embed.type()) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        }));
        c.put("use_cache", new JsonValue.Bool(true));
        if (qwen) {
            c.put("use_sliding_window", new JsonValue.Bool(false));
        }
        c.put("vocab_size", num(embed.shape().ne(1)));
        return new JsonValue.Obj(c);
    }

    private static long need(Metadata m, String key) {
        return m.getLong(key).orElseThrow(() -> new QuantException(ErrorCode.INVALID_PLAN,
                "the model has no " + key + "; a config.json cannot be written"));
    }

    /** A GGUF float32 value as the float it was written from (its shortest float32 decimal). */
    private static Optional<Double> real(Metadata m, String key) {
        return m.get(key).filter(MetaValue.Real.class::isInstance)
                .map(v -> Double.parseDouble(Float.toString((float) ((MetaValue.Real) v).value())));
    }

    private static JsonValue num(long v) {
        return new JsonValue.Num(Long.toString(v));
    }

    /** Python's repr of a float: shortest digits, "1e-05", "10000.0". */
    static JsonValue num(double v) {
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            String s = d.toPlainString();
            return new JsonValue.Num(s.contains(".") ? s : s + ".0");
        }
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return new JsonValue.Num((v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp)));
    }
}
