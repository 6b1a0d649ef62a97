package dev.quant4j.safetensors.hf;

import dev.quant4j.api.tensor.TensorInfo;
import java.util.List;

/**
 * One tensor of the GGUF-shaped view: its GGUF info (name, type, shape; offset = index in the view) and where it
 * comes from.
 *
 * @param info         as the view lists it
 * @param parts        the safetensors tensor(s): one, or a layer's experts in expert order (merged into ne2)
 * @param permuteHeads for attn_q/attn_k: the head count of llama.cpp's Q/K row permutation; 0 for none
 */
record HfTensor(TensorInfo info, List<Part> parts, int permuteHeads) {
    /**
     * A stored tensor, with its DeepSeek-style FP8 {@code weight_scale_inv} or its compressed-tensors companions
     * when it has them.
     *
     * @param source     the safetensors tensor
     * @param scaleInv   the F32/BF16/F16 dequantization multipliers (one per block), or null
     * @param compressed a compressed-tensors weight (codes, scales, zero points), or null
     */
    record Part(TensorInfo source, TensorInfo scaleInv, CtDecoded.Weight compressed) {
        /** The shape of the values (ggml order): a packed weight's is its unpacked [in, out]. */
        dev.quant4j.api.tensor.Shape shape() {
            return compressed != null ? compressed.shape() : source.shape();
        }
    }

    HfTensor {
        parts = List.copyOf(parts);
    }

    /** The (first) stored tensor. */
    TensorInfo source() {
        return parts.getFirst().source();
    }

    /** True when the view's bytes are the stored bytes (no merge, permutation, widening or dequantization). */
    boolean zeroCopy() {
        return parts.size() == 1 && permuteHeads == 0 && info.type() == source().type() && parts.getFirst().scaleInv() == null
                && parts.getFirst().compressed() == null;
    }
}
