package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a planner sees: the input model's metadata and tensors, calibration statistics if any, and the
 * quantizers installed with the encoding each writes under its default options (so a plan never names a
 * missing quantizer, and a planner can apply a third-party quantizer by name). A planner that measures
 * (round trips tensors through quantizers) also gets a {@link PlanContext} when the caller has one.
 */
public record PlanRequest(Metadata metadata, List<TensorInfo> tensors, Optional<CalibrationStats> calibration,
                          Map<String, TensorEncoding> quantizers, Optional<PlanContext> context) {
    public PlanRequest {
        Objects.requireNonNull(metadata);
        tensors = List.copyOf(tensors);
        Objects.requireNonNull(calibration);
        quantizers = Collections.unmodifiableMap(new LinkedHashMap<>(quantizers));
        Objects.requireNonNull(context);
    }

    /** A request without tensor data or registry access (enough for rule-based planners). */
    public PlanRequest(Metadata metadata, List<TensorInfo> tensors, Optional<CalibrationStats> calibration,
                       Map<String, TensorEncoding> quantizers) {
        this(metadata, tensors, calibration, quantizers, Optional.empty());
    }

    /** This request with {@code ctx} as its context. */
    public PlanRequest withContext(PlanContext ctx) {
        return new PlanRequest(metadata, tensors, calibration, quantizers, Optional.of(ctx));
    }

    /**
     * A request whose quantizers are known by name only: a name that is a ggml type name is taken to write
     * that type, any other a custom layout (for tests and tools that have no registry at hand).
     */
    public static PlanRequest ofNames(Metadata metadata, List<TensorInfo> tensors, Optional<CalibrationStats> calibration,
                                      Set<String> quantizerNames) {
        Map<String, TensorEncoding> m = new LinkedHashMap<>();
        for (String n : quantizerNames) {
            m.put(n, DType.fromName(n).<TensorEncoding>map(TensorEncoding.Ggml::new).orElse(new TensorEncoding.Custom(n)));
        }
        return new PlanRequest(metadata, tensors, calibration, m);
    }

    /** Names of the installed quantizers. */
    public Set<String> installedQuantizers() {
        return quantizers.keySet();
    }
}
