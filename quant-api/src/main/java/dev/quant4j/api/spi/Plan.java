package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.Metadata;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A whole-model plan: the output metadata, one decision per tensor in output order, warnings for the user
 * (e.g. tensors without importance data, fallbacks), and the tensors whose importance statistics must not
 * be used although the calibration has them (llama-quantize's --include-weights / --exclude-weights).
 */
public record Plan(Metadata metadata, List<TensorPlan> tensors, List<String> warnings, Set<String> importanceWithheld) {
    public Plan {
        Objects.requireNonNull(metadata);
        tensors = List.copyOf(tensors);
        warnings = List.copyOf(warnings);
        importanceWithheld = Set.copyOf(importanceWithheld);
    }

    /** A plan that uses every importance statistic given. */
    public Plan(Metadata metadata, List<TensorPlan> tensors, List<String> warnings) {
        this(metadata, tensors, warnings, Set.of());
    }
}
