package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a planner sees: the input model's metadata and tensors, calibration statistics if any, and the
 * names of the quantizers installed (so a plan never names one that is missing).
 */
public record PlanRequest(Metadata metadata, List<TensorInfo> tensors, Optional<CalibrationStats> calibration,
                          Set<String> installedQuantizers) {
    public PlanRequest {
        Objects.requireNonNull(metadata);
        tensors = List.copyOf(tensors);
        Objects.requireNonNull(calibration);
        installedQuantizers = Set.copyOf(installedQuantizers);
    }
}
