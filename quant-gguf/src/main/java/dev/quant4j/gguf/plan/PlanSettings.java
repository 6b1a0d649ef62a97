package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;
import java.util.List;
import java.util.TreeSet;

/**
 * The planner's options, parsed and typed. {@code pruneLayers} (llama-quantize's {@code --prune-layers}) is
 * not a public option: the plan format names tensors by their output name only, so an engine could not
 * find the source of a renumbered tensor. It is kept here so the reference plans that use it are reproduced.
 */
record PlanSettings(FileTypeSpec fileType, List<String> includeWeights, List<String> excludeWeights,
                    DType outputTensorType, DType tokenEmbeddingType, List<TensorTypeOverride> tensorTypes,
                    boolean pure, boolean leaveOutputTensor, boolean allowRequantize, List<KvOverride> overrides,
                    boolean keepSplit, boolean strictShapes, boolean dryRun, List<Integer> pruneLayers) {
    PlanSettings {
        includeWeights = List.copyOf(includeWeights);
        excludeWeights = List.copyOf(excludeWeights);
        tensorTypes = List.copyOf(tensorTypes);
        overrides = List.copyOf(overrides);
        pruneLayers = List.copyOf(new TreeSet<>(pruneLayers));
        for (int layer : pruneLayers) {
            if (layer < 0) {
                throw new IllegalArgumentException("prune-layers: invalid layer id " + layer);
            }
        }
    }

    static PlanSettings parse(String fileType, List<String> includeWeights, List<String> excludeWeights,
                              String outputTensorType, String tokenEmbeddingType, List<String> tensorType,
                              boolean pure, boolean leaveOutputTensor, boolean allowRequantize,
                              List<String> overrideKv, boolean keepSplit, boolean strictShapes, boolean dryRun,
                              List<Integer> pruneLayers) {
        return new PlanSettings(FileTypeSpec.parse(fileType), includeWeights, excludeWeights,
                blankToNull(outputTensorType) == null ? null : TargetTypes.parse("output-tensor-type", outputTensorType),
                blankToNull(tokenEmbeddingType) == null ? null
                        : TargetTypes.parse("token-embedding-type", tokenEmbeddingType),
                tensorType.stream().filter(s -> !s.isBlank()).map(TensorTypeOverride::parse).toList(),
                pure, leaveOutputTensor, allowRequantize,
                overrideKv.stream().filter(s -> !s.isBlank()).map(KvOverride::parse).toList(),
                keepSplit, strictShapes, dryRun, pruneLayers);
    }

    PlanSettings withPruneLayers(List<Integer> layers) {
        return new PlanSettings(fileType, includeWeights, excludeWeights, outputTensorType, tokenEmbeddingType,
                tensorTypes, pure, leaveOutputTensor, allowRequantize, overrides, keepSplit, strictShapes, dryRun,
                layers);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
