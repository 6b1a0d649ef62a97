package dev.quant4j.safetensors.hf;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face llama-family tensor names → GGUF names (gguf-py's tensor_mapping for LLAMA, QWEN2, QWEN3 and
 * QWEN3MOE, the parts we use). Expert tensors are merged per layer (see {@link #expert}).
 */
public final class LlamaNames {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)\\.(weight|bias)");

    private LlamaNames() {
    }

    /** Hugging Face name → GGUF name. */
    public static Optional<String> gguf(String hf) {
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
            case "self_attn.q_norm" -> "attn_q_norm";
            case "self_attn.k_norm" -> "attn_k_norm";
            case "block_sparse_moe.gate", "mlp.gate" -> "ffn_gate_inp";
            case "mlp.shared_expert.gate_proj" -> "ffn_gate_shexp";
            case "mlp.shared_expert.up_proj" -> "ffn_up_shexp";
            case "mlp.shared_expert.down_proj" -> "ffn_down_shexp";
            case "mlp.shared_expert_gate" -> "ffn_gate_inp_shexp";
            default -> null;
        };
        return part == null ? Optional.empty() : Optional.of("blk." + m.group(1) + "." + part + "." + m.group(3));
    }

    /**
     * One expert's matrix: Mixtral's {@code block_sparse_moe.experts.E.w1|w2|w3} or Qwen-MoE's
     * {@code mlp.experts.E.gate_proj|down_proj|up_proj}. convert_hf_to_gguf stacks a layer's experts into one 3-D
     * tensor per kind ({@code torch.stack(dim=0)}: expert e is slice ne2 = e) once it has seen all of them.
     *
     * @param layer  the block
     * @param expert the expert id
     * @param merged the merged tensor's GGUF name ({@code blk.N.ffn_gate_exps.weight}, ...)
     * @param order  position of this kind among the layer's three merged tensors, as convert writes them
     *               (LlamaModel: w1, w2, w3; Qwen2MoeModel: down, gate, up)
     */
    record Expert(int layer, int expert, String merged, int order) {
    }

    private static final Pattern EXPERT = Pattern.compile(
            "model\\.layers\\.(\\d+)\\.(?:block_sparse_moe|mlp)\\.experts\\.(\\d+)\\.(w1|w2|w3|gate_proj|down_proj|up_proj)\\.weight");

    static Optional<Expert> expert(String hf) {
        Matcher m = EXPERT.matcher(hf);
        if (!m.matches() || m.group(1).length() > 6 || m.group(2).length() > 6) {
            return Optional.empty();
        }
        int layer = Integer.parseInt(m.group(1));
        String kind = switch (m.group(3)) {
            case "w1", "gate_proj" -> "ffn_gate_exps";
            case "w2", "down_proj" -> "ffn_down_exps";
            default -> "ffn_up_exps";
        };
        int order = switch (m.group(3)) {
            case "w1", "down_proj" -> 0;
            case "w2", "gate_proj" -> 1;
            default -> 2;
        };
        return Optional.of(new Expert(layer, Integer.parseInt(m.group(2)), "blk." + layer + "." + kind + ".weight", order));
    }

    /**
     * A layer's experts stored fused (transformers 5's Qwen-MoE): {@code mlp.experts.down_proj} {@code [n_expert,
     * n_embd, n_ff]} is the merged {@code ffn_down_exps} as it is; {@code mlp.experts.gate_up_proj} {@code [n_expert,
     * 2·n_ff, n_embd]} splits into {@code ffn_gate_exps} (each expert's first n_ff rows) and {@code ffn_up_exps} (the
     * rest), as Qwen2MoeModel.modify_tensors does; either with or without a {@code .weight} suffix.
     *
     * @param layer  the block
     * @param gateUp true for {@code gate_up_proj}, false for {@code down_proj}
     */
    record FusedExperts(int layer, boolean gateUp) {
    }

    private static final Pattern FUSED = Pattern.compile("model\\.layers\\.(\\d{1,6})\\.mlp\\.experts\\.(gate_up_proj|down_proj)(?:\\.weight)?");

    static Optional<FusedExperts> fusedExperts(String hf) {
        Matcher m = FUSED.matcher(hf);
        return m.matches() ? Optional.of(new FusedExperts(Integer.parseInt(m.group(1)), m.group(2).equals("gate_up_proj")))
                : Optional.empty();
    }

    private static final Pattern GGUF_LAYER = Pattern.compile("blk\\.(\\d+)\\.([a-z_]+)\\.(weight|bias)");

    /** GGUF name → Hugging Face name of a llama model: the inverse of {@link #gguf}. */
    public static Optional<String> hf(String gguf) {
        return hf(gguf, "llama");
    }

    /**
     * GGUF name → Hugging Face name, the inverse of {@link #gguf} for {@code arch} (a {@code general.architecture}):
     * the router is Mixtral's {@code block_sparse_moe.gate} for llama and {@code mlp.gate} for the qwen MoE models.
     * Merged experts ({@code ffn_*_exps}) have one name per expert: {@link #hfExpert}.
     */
    public static Optional<String> hf(String gguf, String arch) {
        switch (gguf) {
            case "token_embd.weight" -> {
                return Optional.of("model.embed_tokens.weight");
            }
            case "output_norm.weight" -> {
                return Optional.of("model.norm.weight");
            }
            case "output.weight" -> {
                return Optional.of("lm_head.weight");
            }
            default -> {
            }
        }
        Matcher m = GGUF_LAYER.matcher(gguf);
        if (!m.matches()) {
            return Optional.empty();
        }
        String part = switch (m.group(2)) {
            case "attn_q" -> "self_attn.q_proj";
            case "attn_k" -> "self_attn.k_proj";
            case "attn_v" -> "self_attn.v_proj";
            case "attn_output" -> "self_attn.o_proj";
            case "ffn_gate" -> "mlp.gate_proj";
            case "ffn_up" -> "mlp.up_proj";
            case "ffn_down" -> "mlp.down_proj";
            case "attn_norm" -> "input_layernorm";
            case "ffn_norm" -> "post_attention_layernorm";
            case "attn_q_norm" -> "self_attn.q_norm";
            case "attn_k_norm" -> "self_attn.k_norm";
            case "ffn_gate_inp" -> arch.equals("llama") ? "block_sparse_moe.gate" : "mlp.gate";
            case "ffn_gate_shexp" -> "mlp.shared_expert.gate_proj";
            case "ffn_up_shexp" -> "mlp.shared_expert.up_proj";
            case "ffn_down_shexp" -> "mlp.shared_expert.down_proj";
            case "ffn_gate_inp_shexp" -> "mlp.shared_expert_gate";
            default -> null;
        };
        return part == null ? Optional.empty() : Optional.of("model.layers." + m.group(1) + "." + part + "." + m.group(3));
    }

    private static final Pattern GGUF_EXPERTS = Pattern.compile("blk\\.(\\d+)\\.ffn_(gate|up|down)_exps\\.weight");

    /**
     * The Hugging Face name of expert {@code expert} of a merged GGUF expert tensor ({@code blk.N.ffn_*_exps.weight}):
     * Mixtral's {@code block_sparse_moe.experts.E.w1|w3|w2} for llama, {@code mlp.experts.E.gate|up|down_proj}
     * otherwise; empty for any other name.
     */
    public static Optional<String> hfExpert(String gguf, String arch, long expert) {
        Matcher m = GGUF_EXPERTS.matcher(gguf);
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean mixtral = arch.equals("llama");
        String w = switch (m.group(2)) {
            case "gate" -> mixtral ? "w1" : "gate_proj";
            case "up" -> mixtral ? "w3" : "up_proj";
            default -> mixtral ? "w2" : "down_proj";
        };
        return Optional.of("model.layers." + m.group(1) + "." + (mixtral ? "block_sparse_moe" : "mlp") + ".experts."
                + expert + "." + w + ".weight");
    }

    /** True for names convert_hf_to_gguf drops. */
    static boolean skipped(String hf) {
        return hf.endsWith(".attention.masked_bias") || hf.endsWith(".attention.bias") || hf.endsWith(".rotary_emb.inv_freq");
    }
}
