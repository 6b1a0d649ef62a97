package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.Shape;
import java.util.List;

/** Which tensors llama-quantize never quantizes (mixtures.md section 2). */
final class Quantizability {
    private static final List<String> NEVER_CONTAINED = List.of(
            "_norm.weight", "ffn_gate_inp.weight", "ffn_gate_tid2eid.weight", "altup", "laurel",
            "per_layer_model_proj", "ssm_conv1d", "shortconv.conv.weight", "indexer.k_proj.weight",
            "indexer.q_proj.weight",
            "time_mix_first.weight", "time_mix_w0.weight", "time_mix_w1.weight", "time_mix_w2.weight",
            "time_mix_v0.weight", "time_mix_v1.weight", "time_mix_v2.weight", "time_mix_a0.weight",
            "time_mix_a1.weight", "time_mix_a2.weight", "time_mix_g1.weight", "time_mix_g2.weight",
            "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight",
            "attn_rel_b.weight",
            ".position_embd", "sam.pos_embd", "sam.neck.", "sam.net_", ".rel_pos", ".patch_embd", ".patch_merger",
            "a.rvq.codebook", "mm.a.code_embd");

    private Quantizability() {
    }

    /** Why the tensor keeps its source type, or null when it is quantizable. */
    static String excluded(String name, Shape shape, boolean copy, boolean leaveOutput) {
        if (copy) {
            return "COPY";
        }
        if (nDims(shape) < 2) {
            return "1-D";
        }
        // upstream tests rfind("weight") == size() - 6, which a 5-character name also passes (size_t wrap)
        if (!name.endsWith("weight") && name.length() != 5) {
            return "name does not end in 'weight'";
        }
        if (leaveOutput && name.equals("output.weight")) {
            return "leave-output-tensor";
        }
        if (name.equals("position_embd.weight") || name.equals("token_types.weight")) {
            return "positional/token-type embedding";
        }
        for (String s : NEVER_CONTAINED) {
            if (name.contains(s)) {
                return "'" + s + "' tensors are never quantized";
            }
        }
        return null;
    }

    /** ggml_n_dims: the rank after trimming trailing dimensions of 1. */
    static int nDims(Shape shape) {
        int n = shape.rank();
        while (n > 1 && shape.ne(n - 1) == 1) {
            n--;
        }
        return n;
    }
}
