package dev.quant4j.engine;

import dev.quant4j.api.spi.Plan;

/** Receives a job's progress; called from the job's thread. Every method has a do-nothing default. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** The plan is made; {@code inputBytes} is the total source data the job will read. */
    default void planned(Plan plan, long inputBytes) {
    }

    /** Tensor {@code index} (0-based) of {@code count} is done; {@code inputBytesDone} counts source bytes so far. */
    default void tensorDone(int index, int count, TensorResult result, long inputBytesDone) {
    }

    /** A warning for the user (fallbacks, missing importance data). */
    default void warning(String message) {
    }
}
