package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;

/**
 * The outcome of type selection for one quantizable tensor.
 *
 * @param type     the chosen type
 * @param rule     what chose it
 * @param note     a warning (fallback), or empty
 * @param fallback true when the shape fallback replaced the type (llama-quantize counts these)
 * @param explicit true for an explicit output/token-embedding type, which skips the shape fallback
 */
record Selection(DType type, String rule, String note, boolean fallback, boolean explicit) {
}
