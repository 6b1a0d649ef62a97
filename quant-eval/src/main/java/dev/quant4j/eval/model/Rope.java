package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;

/**
 * Rotary position embedding as ggml computes it: for pair {@code i} of the first {@code dims} dimensions of a
 * head, theta = freqScale * pos * base^(-2i/dims) / freqFactor[i] (the power taken by repeated float
 * multiplication, as ggml does). NORM rotates {@code (x[2i], x[2i+1])}, NEOX {@code (x[i], x[i + dims/2])};
 * dimensions past {@code dims} pass through.
 */
final class Rope {
    private final RopeStyle style;
    private final int dims;
    private final float thetaScale;
    private final float freqScale;
    private final float[] freqFactors;

    Rope(ArchitectureSpec.Rope spec, float[] freqFactors) {
        if (spec.scaling() == ArchitectureSpec.RopeScaling.YARN) {
            throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "rope scaling type 'yarn' is not supported yet"
                    + " (supported: none, linear, llama3 rope_freqs)");
        }
        this.style = spec.style();
        this.dims = spec.dimensions();
        this.thetaScale = (float) Math.pow(spec.freqBase(), -2.0 / dims);
        this.freqScale = 1f / spec.scaleFactor();
        this.freqFactors = freqFactors;
    }

    /** Rotates {@code tokens} rows of {@code heads} heads of {@code headDim}, row t at position {@code pos + t}. */
    void apply(float[] x, int tokens, int heads, int headDim, int pos) {
        float[] cos = new float[dims / 2];
        float[] sin = new float[dims / 2];
        for (int t = 0; t < tokens; t++) {
            float theta = pos + t;
            for (int i = 0; i < dims / 2; i++) {
                float ff = freqFactors == null ? 1f : freqFactors[i];
                float th = freqScale * (theta / ff);
                cos[i] = (float) Math.cos(th);
                sin[i] = (float) Math.sin(th);
                theta *= thetaScale;
            }
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                int step = style == RopeStyle.NORM ? 1 : dims / 2;
                for (int i = 0; i < dims / 2; i++) {
                    int a = style == RopeStyle.NORM ? base + 2 * i : base + i;
                    float x0 = x[a];
                    float x1 = x[a + step];
                    x[a] = x0 * cos[i] - x1 * sin[i];
                    x[a + step] = x0 * sin[i] + x1 * cos[i];
                }
            }
        }
    }
}
