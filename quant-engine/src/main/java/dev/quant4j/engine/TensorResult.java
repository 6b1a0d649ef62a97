package dev.quant4j.engine;

import dev.quant4j.api.tensor.Shape;

/**
 * What happened to one tensor.
 *
 * @param name        tensor name
 * @param shape       its shape
 * @param sourceType  type in the input (lower-case ggml name)
 * @param targetType  encoding written (lower-case ggml name or custom layout name)
 * @param rule        the planner rule that chose the type
 * @param note        a warning attached to the decision, or empty
 * @param sourceBytes bytes read
 * @param bytes       bytes written
 * @param rmse        root mean square error of the round trip, NaN when not measured
 * @param relativeRmse rmse relative to the root mean square of the weights, NaN when not measured
 * @param seconds     wall time spent on the tensor
 */
public record TensorResult(String name, Shape shape, String sourceType, String targetType, String rule, String note,
                           long sourceBytes, long bytes, double rmse, double relativeRmse, double seconds) {
    public double bitsPerWeight() {
        return 8.0 * bytes / shape.elementCount();
    }

    public boolean copied() {
        return sourceType.equals(targetType);
    }
}
