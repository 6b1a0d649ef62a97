package dev.quant4j.eval.model;

/** RMSNorm as ggml computes it: the mean square summed in double, then {@code (x * scale) * weight} in float. */
final class RmsNorm {
    private RmsNorm() {
    }

    /** Normalises {@code rows} rows of {@code width} from {@code x} into {@code out} (may be the same array). */
    static void apply(float[] x, int rows, int width, float[] weight, float eps, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += (double) (x[o + i] * x[o + i]);
            }
            float mean = (float) (sum / width);
            float scale = (float) (1.0 / Math.sqrt(mean + eps));
            for (int i = 0; i < width; i++) {
                out[o + i] = (x[o + i] * scale) * weight[i];
            }
        }
    }
}
