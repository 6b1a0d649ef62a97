package dev.quant4j.api.spi;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;

/** Observes activations batch by batch (or imports a statistics file) and finishes into immutable stats. */
public interface Calibrator {
    /**
     * Observes one batch of activations entering weight tensor {@code tensor}: each row of
     * {@code activations} is one token's input vector (row length = the weight's row length).
     */
    void observe(String tensor, TensorView activations);

    /**
     * Observes the activations entering expert {@code expert} of a mixture-of-experts weight (a 3-D
     * {@code *_exps} tensor): only the tokens routed to that expert. {@code expert} is -1 for dense weights.
     * The default hands every expert's tokens to {@link #observe(String, TensorView)} under the tensor name;
     * calibrators that keep per-expert statistics (imatrix) override this.
     */
    default void observe(String tensor, int expert, TensorView activations) {
        observe(tensor, activations);
    }

    /** The statistics gathered so far; the calibrator may go on observing. */
    CalibrationStats finish();

    /**
     * Imports statistics another tool wrote (e.g. llama.cpp's imatrix). Files that are model containers
     * (a GGUF imatrix) are opened through {@code models}, so the calibrator needs no format plugin.
     */
    default CalibrationStats importFile(Path file, ModelOpener models) throws IOException {
        throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, getClass().getName() + " cannot import statistics files");
    }
}
