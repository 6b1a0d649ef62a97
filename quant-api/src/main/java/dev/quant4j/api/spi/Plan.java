package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.Metadata;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A whole-model plan: the output metadata, one decision per tensor in output order, warnings for the user
 * (e.g. tensors without importance data, fallbacks), the tensors whose importance statistics must not
 * be used although the calibration has them (llama-quantize's --include-weights / --exclude-weights), and
 * lines a planner reports about its choice (e.g. a measuring planner's size/quality frontier), may be empty.
 */
public record Plan(Metadata metadata, List<TensorPlan> tensors, List<String> warnings, Set<String> importanceWithheld,
                   List<String> summary) {
    public Plan {
        Objects.requireNonNull(metadata);
        tensors = List.copyOf(tensors);
        warnings = List.copyOf(warnings);
        importanceWithheld = Set.copyOf(importanceWithheld);
        summary = List.copyOf(summary);
    }

    /** A plan without summary lines. */
    public Plan(Metadata metadata, List<TensorPlan> tensors, List<String> warnings, Set<String> importanceWithheld) {
        this(metadata, tensors, warnings, importanceWithheld, List.of());
    }

    /** A plan that uses every importance statistic given. */
    public Plan(Metadata metadata, List<TensorPlan> tensors, List<String> warnings) {
        this(metadata, tensors, warnings, Set.of());
    }
}
