package dev.quant4j.gguf.plan;

import java.util.List;

/**
 * Options of the {@code llama-cpp} planner: llama-quantize's, in kebab-case {@code key=value} form.
 * Lists take comma-separated values (so a {@code tensor-type} pattern cannot contain a comma).
 *
 * @param fileType           file type name (Q4_K_M, IQ2_XS, COPY, ... case-insensitive), its number, or a ggml
 *                           type name that is not a file type ({@code mxfp4}): that type for every tensor
 * @param includeWeights     use only imatrix entries whose name contains one of these
 * @param excludeWeights     drop imatrix entries whose name contains one of these
 * @param outputTensorType   ggml type for {@code output.weight} (and tied token embeddings)
 * @param tokenEmbeddingType ggml type for {@code token_embd.weight} / {@code per_layer_token_embd.weight}
 * @param tensorType         {@code REGEX=TYPE} overrides, first match wins
 * @param pure               no mixture rules: every quantizable tensor gets the file type's default type
 * @param leaveOutputTensor  keep {@code output.weight} as it is
 * @param allowRequantize    allow tensors already quantized to be dequantized and quantized again
 * @param overrideKv         {@code KEY=TYPE:VALUE} metadata overrides (TYPE int, float, bool, str)
 * @param keepSplit          keep the input's tensor order by shard (for one output shard per input shard)
 * @param strictShapes       refuse, as llama-quantize does, when a row length fits neither the chosen type nor
 *                           any fallback; by default such a tensor falls back to F16 with a note
 * @param dryRun             plan as {@code llama-quantize --dry-run}: a missing imatrix and requantization are
 *                           warnings, not refusals, and incompatible explicit output/embedding types pass silently
 * @param quantizer          registry name of the quantizer that writes the file type's default type instead of the
 *                           built-in one (e.g. a third-party plugin's q8_0); blank for the built-in
 */
public record LlamaCppOptions(String fileType, List<String> includeWeights, List<String> excludeWeights,
                              String outputTensorType, String tokenEmbeddingType, List<String> tensorType,
                              boolean pure, boolean leaveOutputTensor, boolean allowRequantize,
                              List<String> overrideKv, boolean keepSplit, boolean strictShapes, boolean dryRun,
                              String quantizer) {
    public LlamaCppOptions {
        fileType = fileType == null || fileType.isBlank() ? "Q8_0" : fileType.trim();
        quantizer = quantizer == null || quantizer.isBlank() ? null : quantizer.trim();
        includeWeights = List.copyOf(includeWeights == null ? List.of() : includeWeights);
        excludeWeights = List.copyOf(excludeWeights == null ? List.of() : excludeWeights);
        tensorType = List.copyOf(tensorType == null ? List.of() : tensorType);
        overrideKv = List.copyOf(overrideKv == null ? List.of() : overrideKv);
        if (!includeWeights.isEmpty() && !excludeWeights.isEmpty()) {
            throw new IllegalArgumentException("include-weights and exclude-weights cannot be used together");
        }
        // validate everything now so a bad option fails before any work
        PlanSettings.parse(fileType, includeWeights, excludeWeights, outputTensorType, tokenEmbeddingType, tensorType,
                pure, leaveOutputTensor, allowRequantize, overrideKv, keepSplit, strictShapes, dryRun, List.of());
    }

    /** The options parsed into the planner's typed settings. */
    PlanSettings settings() {
        return PlanSettings.parse(fileType, includeWeights, excludeWeights, outputTensorType, tokenEmbeddingType,
                tensorType, pure, leaveOutputTensor, allowRequantize, overrideKv, keepSplit, strictShapes, dryRun,
                List.of());
    }

    /** llama-quantize's library default file type is Q8_0; everything else off. */
    public static LlamaCppOptions defaults() {
        return new LlamaCppOptions("Q8_0", List.of(), List.of(), null, null, List.of(), false, false, false,
                List.of(), false, false, false, null);
    }
}
