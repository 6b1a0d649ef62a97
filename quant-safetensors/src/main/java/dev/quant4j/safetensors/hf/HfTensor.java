package dev.quant4j.safetensors.hf;

import dev.quant4j.api.tensor.Shape;
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
     * @param firstRow   the first row of {@code source} (rows = its elements / row length) this part takes
     * @param rows       how many rows it takes: all of them, or one expert's gate or up half of a fused
     *                   {@code gate_up_proj}
     */
    record Part(TensorInfo source, TensorInfo scaleInv, CtDecoded.Weight compressed, long firstRow, long rows) {
        Part(TensorInfo source, TensorInfo scaleInv, CtDecoded.Weight compressed) {
            this(source, scaleInv, compressed, 0, source.shape().rank() <= 1 ? 1 : source.shape().rows());
        }

        Part(TensorInfo source, TensorInfo scaleInv) {
            this(source, scaleInv, null);
        }

        /** True when the part is a row range of its source rather than all of it. */
        boolean sliced() {
            return firstRow != 0 || rows != (source.shape().rank() <= 1 ? 1 : source.shape().rows());
        }

        /**
         * The part's own shape (ggml order): a packed weight's is its unpacked [in, out]; a row range's
         * {@code [row length, rows]}; otherwise the source's.
         */
        Shape shape() {
            if (compressed != null) {
                return compressed.shape();
            }
            return sliced() ? Shape.of(source.shape().rowLength(), rows) : source.shape();
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
        return parts.size() == 1 && !parts.getFirst().sliced() && permuteHeads == 0 && info.type() == source().type()
                && parts.getFirst().scaleInv() == null && parts.getFirst().compressed() == null;
    }
}
