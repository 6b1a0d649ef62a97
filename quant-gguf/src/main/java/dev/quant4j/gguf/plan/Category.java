package dev.quant4j.gguf.plan;

/** The broad tensor kinds the mixture rules distinguish (mixtures.md section 4.2); first match wins. */
enum Category {
    OUTPUT, TOKEN_EMBD, ATTN_QKV, ATTN_KV_B, ATTN_V, ATTN_K, ATTN_Q, ATTN_OUTPUT, FFN_UP, FFN_GATE, FFN_DOWN, OTHER;

    static Category of(String name) {
        if (name.equals("output.weight")) {
            return OUTPUT;
        } else if (isTokenEmbedding(name)) {
            return TOKEN_EMBD;
        } else if (name.contains("attn_qkv.weight")) {
            return ATTN_QKV;
        } else if (name.contains("attn_kv_b.weight")) {
            return ATTN_KV_B;
        } else if (name.contains("attn_v.weight")) {
            return ATTN_V;
        } else if (name.contains("attn_k.weight")) {
            return ATTN_K;
        } else if (name.contains("attn_q.weight")) {
            return ATTN_Q;
        } else if (name.contains("attn_output.weight")) {
            return ATTN_OUTPUT;
        } else if (name.contains("ffn_up")) {
            return FFN_UP;
        } else if (name.contains("ffn_gate")) {
            return FFN_GATE;
        } else if (name.contains("ffn_down")) {
            return FFN_DOWN;
        }
        return OTHER;
    }

    static boolean isTokenEmbedding(String name) {
        return name.equals("token_embd.weight") || name.equals("per_layer_token_embd.weight");
    }

    /** attn_v and the fused projections that contain it: the tensors counted by n_attention_wv. */
    boolean isAttnVLike() {
        return this == ATTN_V || this == ATTN_QKV || this == ATTN_KV_B;
    }
}
