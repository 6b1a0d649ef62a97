package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How each tensor of a llama/qwen2/qwen3(-moe) model touches the residual stream, for {@code rotate}: the
 * embedding writes it, RMSNorms read it (and fold their weights into the linears after them), linears read its
 * normalised value or write into it. Anything else in a block is refused by name, so a model with parts this
 * does not know (LayerNorm biases, post-norms, embedding scales) is never rotated wrongly.
 */
final class ResidualRoles {
    private ResidualRoles() {
    }

    /** What the rotation does to a tensor. */
    sealed interface Role {
    }

    /** Rows (one per token) are residual vectors: r ← r·Q. */
    record Embedding() implements Role {
    }

    /** Reads the output of RMSNorm {@code norm} (null: no norm): r ← (r ⊙ g)·Q per row. */
    record Reader(String norm) implements Role {
    }

    /** Writes into the residual: W ← Qᵀ W, i.e. each column of each slab of {@code width} rows. */
    record Writer(int width) implements Role {
    }

    /** A bias added to a writer's output: b ← Qᵀ b. */
    record WriterBias() implements Role {
    }

    /** An RMSNorm weight folded into its readers: becomes ones. */
    record Norm() implements Role {
    }

    static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2", "qwen3", "qwen2moe", "qwen3moe");
    private static final Set<String> ATTN_READERS = Set.of("attn_q", "attn_k", "attn_v", "attn_qkv");
    private static final Set<String> FFN_READERS = Set.of("ffn_gate", "ffn_up", "ffn_gate_exps", "ffn_up_exps",
            "ffn_gate_inp", "ffn_gate_shexp", "ffn_up_shexp", "ffn_gate_inp_shexp");
    private static final Set<String> WRITERS = Set.of("attn_output", "ffn_down", "ffn_down_exps", "ffn_down_shexp");
    /** Act on a linear's output inside the block (q/k biases and per-head norms, reader biases, expert biases). */
    private static final Set<String> INSIDE = Set.of("attn_q.bias", "attn_k.bias", "attn_v.bias", "attn_qkv.bias",
            "attn_q_norm.weight", "attn_k_norm.weight", "ffn_gate.bias", "ffn_up.bias", "ffn_exp_probs_b.bias",
            "ffn_gate_inp.bias");

    /** Roles of the tensors the rotation changes (others are untouched). */
    static Map<String, Role> of(TransformInput in, int width) {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (TensorInfo t : in.tensors()) {
            Role r = role(in, t.name(), width);
            if (r != null) {
                if (!isFloat(t.type())) {
                    throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "rotate: tensor '" + t.name() + "' is "
                            + t.type().lowerName() + "; give the float model (rotation needs float weights)");
                }
                roles.put(t.name(), r);
            }
        }
        return roles;
    }

    private static boolean isFloat(DType t) {
        return t == DType.F32 || t == DType.F16 || t == DType.BF16 || t == DType.F64;
    }

    private static Role role(TransformInput in, String name, int width) {
        switch (name) {
            case "token_embd.weight":
                return new Embedding();
            case "output_norm.weight":
                return new Norm();
            case "output.weight":
                return new Reader(normIfPresent(in, "output_norm.weight"));
            case "output.bias", "rope_freqs.weight":
                return null;
            default:
                break;
        }
        int layer = TensorInfo.layerOf(name);
        if (layer < 0) {
            throw refuse(name, "is not a tensor rotate knows");
        }
        String prefix = "blk." + layer + ".";
        String part = name.substring(prefix.length());
        if (INSIDE.contains(part)) {
            return null;
        }
        if (part.endsWith("_norm.bias")) {
            throw refuse(name, "is a norm bias, which cannot be folded into a rotation");
        }
        if (part.equals("attn_norm.weight") || part.equals("ffn_norm.weight")) {
            return new Norm();
        }
        String base = part.endsWith(".weight") ? part.substring(0, part.length() - ".weight".length()) : null;
        if (base != null && ATTN_READERS.contains(base)) {
            return new Reader(normIfPresent(in, prefix + "attn_norm.weight"));
        }
        if (base != null && FFN_READERS.contains(base)) {
            return new Reader(normIfPresent(in, prefix + "ffn_norm.weight"));
        }
        if (base != null && WRITERS.contains(base)) {
            return new Writer(width);
        }
        if (part.endsWith(".bias") && WRITERS.contains(part.substring(0, part.length() - ".bias".length()))) {
            return new WriterBias();
        }
        throw refuse(name, "is a block tensor rotate does not know how to rotate");
    }

    private static String normIfPresent(TransformInput in, String norm) {
        return in.find(norm).isPresent() ? norm : null;
    }

    private static QuantException refuse(String name, String why) {
        return new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "rotate: tensor '" + name + "' " + why
                + "; supported: llama/qwen2/qwen3 dense and mixture-of-experts blocks");
    }
}
