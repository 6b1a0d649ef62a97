package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorFiniteScan;

/** Finds NaN and infinities in float data (the quantizers refuse them before encoding). */
public final class FiniteScan {
    private FiniteScan() {
    }

    /** Index of the first NaN or infinity in {@code x[from .. from+count)}, or -1; vectorized when enabled. */
    public static int firstNonFinite(float[] x, int from, int count) {
        if (Vectorization.enabled() && VectorFiniteScan.allFinite(x, from, count)) {
            return -1;
        }
        return scalar(x, from, count);
    }

    /** The scalar reference. */
    public static int scalar(float[] x, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Float.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }
}
