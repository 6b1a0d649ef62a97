package dev.quant4j.safetensors.hf;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hugging Face llama tensor names → GGUF names (gguf-py's tensor_mapping for MODEL_ARCH.LLAMA, the parts we use). */
final class LlamaNames {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)\\.(weight|bias)");

    private LlamaNames() {
    }

    static Optional<String> gguf(String hf) {
        switch (hf) {
            case "model.embed_tokens.weight" -> {
                return Optional.of("token_embd.weight");
            }
            case "model.norm.weight" -> {
                return Optional.of("output_norm.weight");
            }
            case "lm_head.weight" -> {
                return Optional.of("output.weight");
            }
            default -> {
            }
        }
        Matcher m = LAYER.matcher(hf);
        if (!m.matches()) {
            return Optional.empty();
        }
        String part = switch (m.group(2)) {
            case "self_attn.q_proj" -> "attn_q";
            case "self_attn.k_proj" -> "attn_k";
            case "self_attn.v_proj" -> "attn_v";
            case "self_attn.o_proj" -> "attn_output";
            case "mlp.gate_proj" -> "ffn_gate";
            case "mlp.up_proj" -> "ffn_up";
            case "mlp.down_proj" -> "ffn_down";
            case "input_layernorm" -> "attn_norm";
            case "post_attention_layernorm" -> "ffn_norm";
            default -> null;
        };
        return part == null ? Optional.empty() : Optional.of("blk." + m.group(1) + "." + part + "." + m.group(3));
    }

    /** True for names convert_hf_to_gguf drops. */
    static boolean skipped(String hf) {
        return hf.endsWith(".attention.masked_bias") || hf.endsWith(".attention.bias") || hf.endsWith(".rotary_emb.inv_freq");
    }
}
