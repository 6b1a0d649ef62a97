package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.Metadata;
import java.util.List;
import java.util.Objects;

/**
 * A whole-model plan: the output metadata, one decision per tensor in output order, and warnings for
 * the user (e.g. tensors without importance data, fallbacks).
 */
public record Plan(Metadata metadata, List<TensorPlan> tensors, List<String> warnings) {
    public Plan {
        Objects.requireNonNull(metadata);
        tensors = List.copyOf(tensors);
        warnings = List.copyOf(warnings);
    }
}
