package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorView;

/** Observes activations batch by batch (or imports a statistics file) and finishes into immutable stats. */
public interface Calibrator {
    /**
     * Observes one batch of activations entering weight tensor {@code tensor}: each row of
     * {@code activations} is one token's input vector (row length = the weight's row length).
     */
    void observe(String tensor, TensorView activations);

    /** The statistics gathered so far; the calibrator may go on observing. */
    CalibrationStats finish();
}
