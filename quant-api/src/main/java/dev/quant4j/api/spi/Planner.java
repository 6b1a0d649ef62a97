package dev.quant4j.api.spi;

/** Decides, for every tensor of a model, what to write and with which quantizer. */
public interface Planner {
    /**
     * Plans {@code model}.
     *
     * @throws dev.quant4j.api.error.QuantException INVALID_PLAN (or MISSING_CALIBRATION) with the reason,
     *         the way llama-quantize refuses, before any work is done
     */
    Plan plan(PlanRequest request);
}
