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
 * The config.json transformers' LlamaConfig.save_pretrained writes for a llama GGUF model: the llama.* keys mapped
 * back (the inverse of convert_hf_to_gguf's LlamaModel.set_gguf_parameters), LlamaConfig's defaults for the rest.
 */
final class GgufHfConfig {
    private GgufHfConfig() {
    }

    static JsonValue.Obj of(Metadata m, List<ModelLayout.TensorSlot> tensors) {
        long embd = need(m, "llama.embedding_length");
        long heads = need(m, "llama.attention.head_count");
        ModelLayout.TensorSlot embed = tensors.stream().filter(t -> t.name().equals("token_embd.weight")).findFirst()
                .orElseThrow(() -> new QuantException(ErrorCode.INVALID_PLAN, "the model has no token_embd.weight"));
        boolean tied = tensors.stream().noneMatch(t -> t.name().equals("output.weight"));
        Map<String, JsonValue> c = new LinkedHashMap<>();
        c.put("architectures", new JsonValue.Arr(List.of(new JsonValue.Str("LlamaForCausalLM"))));
        c.put("attention_bias", new JsonValue.Bool(tensors.stream().anyMatch(t -> t.name().matches("blk\\.\\d+\\.attn_q\\.bias"))));
        c.put("attention_dropout", num(0.0));
        c.put("bos_token_id", m.getLong("tokenizer.ggml.bos_token_id").map(GgufHfConfig::num).orElse(new JsonValue.Null()));
        c.put("eos_token_id", m.getLong("tokenizer.ggml.eos_token_id").map(GgufHfConfig::num).orElse(new JsonValue.Null()));
        c.put("head_dim", num(m.getLong("llama.attention.key_length").orElse(embd / heads)));
        c.put("hidden_act", new JsonValue.Str("silu"));
        c.put("hidden_size", num(embd));
        c.put("initializer_range", num(0.02));
        m.getLong("llama.feed_forward_length").ifPresent(v -> c.put("intermediate_size", num(v)));
        c.put("max_position_embeddings", num(m.getLong("llama.context_length").orElse(2048L)));
        c.put("mlp_bias", new JsonValue.Bool(false));
        c.put("model_type", new JsonValue.Str("llama"));
        c.put("num_attention_heads", num(heads));
        c.put("num_hidden_layers", num(need(m, "llama.block_count")));
        c.put("num_key_value_heads", num(m.getLong("llama.attention.head_count_kv").orElse(heads)));
        c.put("pretraining_tp", num(1));
        c.put("rms_norm_eps", real(m, "llama.attention.layer_norm_rms_epsilon").map(GgufHfConfig::num).orElse(num(1e-6)));
        Optional<Double> linear = m.getString("llama.rope.scaling.type").filter("linear"::equals)
                .flatMap(t -> real(m, "llama.rope.scaling.factor"));
        c.put("rope_scaling", linear.<JsonValue>map(f -> new JsonValue.Obj(Map.of("factor", num(f), "rope_type", new JsonValue.Str("linear"))))
                .orElse(new JsonValue.Null()));
        c.put("rope_theta", num(real(m, "llama.rope.freq_base").orElse(10000.0)));
        c.put("tie_word_embeddings", new JsonValue.Bool(tied));
        c.put("torch_dtype", new JsonValue.Str(switch (embed.type()) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        }));
        c.put("use_cache", new JsonValue.Bool(true));
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
