package dev.quant4j.safetensors.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.safetensors.hf.LlamaNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Hugging Face tensors a GGUF-shaped model becomes: the inverse of convert_hf_to_gguf's mapping for llama
 * (Mixtral), qwen2, qwen3, qwen2moe and qwen3moe. Names go back per architecture (q/k norms, q/k/v biases, the
 * router, Qwen2-MoE's shared expert); a merged expert tensor {@code [in, out, n_expert]} becomes one {@code [in,
 * out]} matrix per expert (slice ne2 = e, the inverse of {@code torch.stack(dim=0)}); llama's attn_q/attn_k rows (and
 * biases) go back from llama.cpp's order to HF's rotate-half order. The qwen models use NEOX RoPE and were never
 * permuted: convert_hf_to_gguf's Qwen2Model/Qwen3Model/Qwen2MoeModel keep HF's row order, so nothing is undone there.
 * Tensors that already carry Hugging Face names pass through.
 */
final class HfPieces {
    /** The architectures whose names have an inverse here. */
    static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2", "qwen3", "qwen2moe", "qwen3moe");

    /**
     * One output tensor.
     *
     * @param slot           index of the input tensor it comes from
     * @param name           its Hugging Face name
     * @param shape          its shape (ggml order; HF's is the reverse)
     * @param offset         byte offset of its data inside the input tensor's
     * @param byteSize       its byte size
     * @param unpermuteHeads llama's Q/K head count to undo the row permutation with, or 0
     */
    record Piece(int slot, String name, Shape shape, long offset, long byteSize, int unpermuteHeads) {
    }

    private HfPieces() {
    }

    static List<Piece> of(ModelLayout layout) {
        Metadata m = layout.metadata();
        String arch = m.getString("general.architecture").orElse("llama");
        if (!ARCHITECTURES.contains(arch)) {
            throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "compressed-tensors output supports the architectures "
                    + ARCHITECTURES.stream().sorted().toList() + "; this model's is " + arch);
        }
        long headDefault = m.getLong(arch + ".attention.head_count").orElse(0L);
        int qHeads = Math.toIntExact(headDefault);
        int kHeads = Math.toIntExact(m.getLong(arch + ".attention.head_count_kv").orElse(headDefault));
        List<Piece> out = new ArrayList<>();
        for (int i = 0; i < layout.tensors().size(); i++) {
            ModelLayout.TensorSlot t = layout.tensors().get(i);
            if (LlamaNames.gguf(t.name()).isPresent()) { // already a Hugging Face name, HF row order
                out.add(new Piece(i, t.name(), t.shape(), 0, t.byteSize(), 0));
                continue;
            }
            if (LlamaNames.hfExpert(t.name(), arch, 0).isPresent()) {
                if (t.shape().rank() != 3) {
                    throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + t.name() + "' is " + t.shape()
                            + "; merged experts are [in, out, n_expert]");
                }
                Shape one = Shape.of(t.shape().ne(0), t.shape().ne(1));
                long size = TensorInfo.byteSize(t.type(), one);
                for (long e = 0; e < t.shape().ne(2); e++) {
                    out.add(new Piece(i, LlamaNames.hfExpert(t.name(), arch, e).orElseThrow(), one, e * size, size, 0));
                }
                continue;
            }
            String hf = LlamaNames.hf(t.name(), arch).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_TYPE,
                    "tensor '" + t.name() + "' has no Hugging Face name for a " + arch + " model"));
            int heads = 0;
            if (arch.equals("llama") && t.name().matches("blk\\.\\d+\\.attn_[qk]\\.(weight|bias)")) {
                heads = t.name().matches("blk\\.\\d+\\.attn_q\\..*") ? qHeads : kHeads;
                long units = t.shape().rank() == 1 ? t.shape().ne(0) : t.shape().rows();
                if (heads <= 0 || units % (2L * heads) != 0) {
                    throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + t.name() + "': " + units
                            + " rows do not split into " + heads + " heads of two halves (llama.attention.head_count*)");
                }
            }
            out.add(new Piece(i, hf, t.shape(), 0, t.byteSize(), heads));
        }
        return out;
    }

    /**
     * Modules that stay unquantized besides lm_head, as llm-compressor's MoE examples list them: the routers (and
     * Qwen2-MoE's one-output shared-expert gate), which are Linear layers vLLM must not expect compressed.
     */
    static List<String> ignoredModules(List<Piece> pieces) {
        List<String> out = new ArrayList<>();
        if (pieces.stream().anyMatch(p -> p.name().endsWith(".block_sparse_moe.gate.weight"))) {
            out.add("re:.*block_sparse_moe.gate$");
        }
        if (pieces.stream().anyMatch(p -> p.name().endsWith(".mlp.gate.weight"))) {
            out.add("re:.*mlp.gate$");
        }
        if (pieces.stream().anyMatch(p -> p.name().endsWith(".mlp.shared_expert_gate.weight"))) {
            out.add("re:.*mlp.shared_expert_gate$");
        }
        return out;
    }
}
