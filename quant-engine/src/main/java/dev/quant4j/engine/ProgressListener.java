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

    /**
     * Part of the current tensor is done (large tensors report several times before {@link #tensorDone});
     * {@code inputBytesDone} counts source bytes of the whole job so far. Called from the job's thread.
     */
    default void progress(long inputBytesDone) {
    }

    /** A warning for the user (fallbacks, missing importance data). */
    default void warning(String message) {
    }
}
