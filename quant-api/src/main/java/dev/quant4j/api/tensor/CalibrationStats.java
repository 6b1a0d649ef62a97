package dev.quant4j.api.tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Immutable activation statistics for a model's weight tensors, keyed by weight tensor name. */
public record CalibrationStats(String source, Map<String, TensorActivationStats> tensors) {
    public CalibrationStats {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public static CalibrationStats of(String source, List<TensorActivationStats> stats) {
        Map<String, TensorActivationStats> m = new LinkedHashMap<>();
        for (TensorActivationStats s : stats) {
            if (m.put(s.tensor(), s) != null) {
                throw new IllegalArgumentException(source + ": statistics for '" + s.tensor() + "' given twice");
            }
        }
        return new CalibrationStats(source, m);
    }

    public Optional<TensorActivationStats> forTensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }
}
