package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.TensorView;
import java.util.Map;
import java.util.Optional;

/**
 * What a measuring planner may use besides the request's metadata: the input's tensor data, configured
 * quantizers and other planners by registry name, and the exact size of an output layout. The engine supplies
 * it from its model reader and registry; a planner reaches other plugins only through it, by name.
 * Implementations are thread safe.
 */
public interface PlanContext {
    /**
     * A zero-copy view of input tensor {@code name} (valid while the planner runs).
     *
     * @throws dev.quant4j.api.error.QuantException INVALID_PLAN when the model has no such tensor
     */
    TensorView tensor(String name);

    /**
     * A configured quantizer by registry name.
     *
     * @throws dev.quant4j.api.error.QuantException NOT_FOUND (listing the names) or INVALID_OPTION
     */
    Quantizer quantizer(String name, Map<String, String> options);

    /** The descriptor of installed quantizer {@code name} (its capabilities: needs calibration, dequantizes). */
    ProviderDescriptor quantizerDescriptor(String name);

    /** Plans {@code request} with the installed planner {@code planner} configured by {@code options}. */
    Plan plan(String planner, Map<String, String> options, PlanRequest request);

    /** Exact bytes of the output file(s) for {@code layout}, header and padding included, as the writer lays it out. */
    long fileBytes(ModelLayout layout);

    /** Worker threads the planner may use for measurements. */
    int threads();

    /**
     * A forward-pass quality probe over the input model and the caller's calibration text, when the caller has
     * one (quant-cli with {@code --calibration}); empty otherwise.
     */
    default Optional<QualityProbe> qualityProbe() {
        return Optional.empty();
    }
}
