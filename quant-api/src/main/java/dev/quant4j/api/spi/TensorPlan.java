package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import java.util.Map;
import java.util.Objects;

/**
 * The decision for one tensor.
 *
 * @param name       tensor name
 * @param shape      its shape
 * @param sourceType type in the input
 * @param targetType type written
 * @param quantizer  registry name of the quantizer that writes {@code targetType}, or null to copy bytes
 * @param options    options for that quantizer in {@code key=value} form (parsed by its provider)
 * @param rule       the rule that chose the type, for reports (e.g. {@code attn_v: use_more_bits})
 * @param note       a warning attached to the decision (e.g. a fallback), or empty
 */
public record TensorPlan(String name, Shape shape, DType sourceType, DType targetType, String quantizer,
                         Map<String, String> options, String rule, String note) {
    public TensorPlan {
        Objects.requireNonNull(name);
        Objects.requireNonNull(shape);
        Objects.requireNonNull(sourceType);
        Objects.requireNonNull(targetType);
        options = Map.copyOf(options);
        Objects.requireNonNull(rule);
        note = note == null ? "" : note;
    }

    /** True when the bytes are copied unchanged. */
    public boolean isCopy() {
        return quantizer == null;
    }
}
