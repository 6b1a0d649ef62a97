package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorFiniteScan;

/** Finds NaN and infinities in float data (the quantizers refuse them before encoding). */
public final class FiniteScan {
    /** Floats per probe of the vector scan while the JIT has not compiled it. */
    private static final int PROBE = 1024;

    private FiniteScan() {
    }

    /** Index of the first NaN or infinity in {@code x[from .. from+count)}, or -1; vectorized when enabled. */
    public static int firstNonFinite(float[] x, int from, int count) {
        if (Vectorization.enabled()) {
            // the probe is the head of the range; the scalar rest is scanned only while nothing was found
            int[] found = {-1};
            Gates.FINITE.run(count, PROBE, (vector, f, c) -> {
                if (found[0] < 0) {
                    found[0] = vector && VectorFiniteScan.allFinite(x, from + f, c) ? -1 : scalar(x, from + f, c);
                }
            });
            return found[0];
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
