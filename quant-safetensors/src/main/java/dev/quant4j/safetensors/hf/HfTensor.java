package dev.quant4j.safetensors.hf;

import dev.quant4j.api.tensor.TensorInfo;

/**
 * One tensor of the GGUF-shaped view: its GGUF info (name, type, shape; offset = index in the view) and where it
 * comes from.
 *
 * @param info      as the view lists it
 * @param source    the safetensors tensor
 * @param permuteHeads for attn_q/attn_k: the head count of llama.cpp's Q/K row permutation; 0 for none
 */
record HfTensor(TensorInfo info, TensorInfo source, int permuteHeads) {
}
