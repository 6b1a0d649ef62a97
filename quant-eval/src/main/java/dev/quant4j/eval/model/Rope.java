package dev.quant4j.eval.model;

import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.RopeScaling;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;

/**
 * Rotary position embedding as ggml's CPU rope computes it (llama.cpp 34af94cd). For pair {@code i} of the first
 * {@code dims} dimensions of a head, the extrapolated angle is {@code pos * base^(-2i/dims) / freqFactor[i]} (the
 * power taken by repeated float multiplication, as ggml does) and the interpolated one {@code freqScale} times
 * that. Without YaRN the angle is the interpolated one. With YaRN (extrapolation factor != 0) a ramp over the pair
 * index mixes them: pairs below the low correction dimension (many rotations within the original context) keep
 * the extrapolated angle, pairs above the high one the interpolated angle, linear in between; cos and sin are
 * then multiplied by {@code 1 + 0.1 ln(1/freqScale)}. Every cos/sin is also multiplied by the attention factor.
 * NORM rotates {@code (x[2i], x[2i+1])}, NEOX {@code (x[i], x[i + dims/2])}; dimensions past {@code dims} pass
 * through. All arithmetic is float, in ggml's order.
 */
final class Rope {
    private final RopeStyle style;
    private final int dims;
    private final float thetaScale;
    private final float freqScale;
    private final float[] freqFactors;
    private final float extFactor;
    private final float corrLow;
    private final float corrHigh;
    /** What cos and sin are multiplied by: the attention factor, times YaRN's magnitude correction. */
    private final float mscale;
    /** cos/sin per position computed so far; replaced (never mutated) when it grows. */
    private volatile Table table;

    /**
     * @param contextLength the model's training context, which stands in for a missing original context length
     * @param freqFactors   {@code rope_freqs.weight} (one divisor per pair), or null
     */
    Rope(ArchitectureSpec.Rope spec, int contextLength, float[] freqFactors) {
        this.style = spec.style();
        this.dims = spec.dimensions();
        this.thetaScale = (float) Math.pow(spec.freqBase(), -2.0 / dims);
        // llama.cpp never scales with type none, whatever the factor key says
        this.freqScale = spec.scaling() == RopeScaling.NONE ? 1f : 1f / spec.scaleFactor();
        this.freqFactors = freqFactors;
        float ext = spec.yarn().extFactor();
        this.extFactor = ext >= 0 ? ext : spec.scaling() == RopeScaling.YARN ? 1f : 0f;
        int originalContext = spec.originalContext() != 0 ? spec.originalContext() : contextLength;
        float base = spec.freqBase();
        this.corrLow = Math.max(0f, floor(correctionDim(originalContext, spec.yarn().betaFast(), base)));
        this.corrHigh = Math.min(dims - 1, ceil(correctionDim(originalContext, spec.yarn().betaSlow(), base)));
        this.mscale = extFactor == 0 ? spec.attnFactor()
                : attentionFactor(spec.attnFactor()) * (1f + 0.1f * logf(1f / freqScale));
        this.table = new Table(style, dims, new float[0], new float[0]);
    }

    /**
     * llama.cpp's context attention factor when YaRN extrapolates: its magnitude correction for the scale factor,
     * divided by the one the rope applies per angle (the two cancel up to float rounding), times the model's
     * {@code rope.scaling.attn_factor}.
     */
    private float attentionFactor(float modelAttnFactor) {
        float factor = 1f / freqScale;
        float a = factor <= 1f ? 1f : 0.1f * logf(factor) + 1f;
        a *= 1f / (1f + 0.1f * logf(factor));
        return a * modelAttnFactor;
    }

    /** The pair index whose wavelength fits {@code rotations} times into the original context. */
    private float correctionDim(int originalContext, float rotations, float base) {
        return dims * logf(originalContext / (rotations * 2 * (float) Math.PI)) / (2 * logf(base));
    }

    /** Rotates {@code tokens} rows of {@code heads} heads of {@code headDim}, row t at position {@code pos + t}. */
    void apply(float[] x, int tokens, int heads, int headDim, int pos) {
        Table table = table(pos + tokens);
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                table.rotate(x, (t * heads + h) * headDim, pos + t);
            }
        }
    }

    /**
     * The cos/sin of every position below {@code end} (at least): computed once per position for the model's
     * lifetime (every layer, sequence and session shares them), grown by doubling. Safe to call from any thread;
     * the returned table is immutable.
     */
    Table table(int end) {
        Table t = table;
        return t.positions() >= end ? t : grow(end);
    }

    private synchronized Table grow(int end) {
        Table old = table;
        if (old.positions() >= end) {
            return old;
        }
        int half = dims / 2;
        int positions = Math.max(end, Math.max(64, old.positions() * 2));
        float[] cos = java.util.Arrays.copyOf(old.cos, positions * half);
        float[] sin = java.util.Arrays.copyOf(old.sin, positions * half);
        float[] c = new float[half];
        float[] s = new float[half];
        for (int p = old.positions(); p < positions; p++) {
            angles(p, c, s);
            System.arraycopy(c, 0, cos, p * half, half);
            System.arraycopy(s, 0, sin, p * half, half);
        }
        Table t = new Table(style, dims, cos, sin);
        table = t;
        return t;
    }

    /** Precomputed cos and sin, {@code [position][dims / 2]}, of one {@link Rope}. */
    record Table(RopeStyle style, int dims, float[] cos, float[] sin) {
        int positions() {
            return dims == 0 ? Integer.MAX_VALUE : cos.length / (dims / 2);
        }

        /** Rotates the head vector at {@code x[at ..]} as the token at position {@code pos}. */
        void rotate(float[] x, int at, int pos) {
            int half = dims / 2;
            int c0 = pos * half;
            int step = style == RopeStyle.NORM ? 1 : half;
            for (int i = 0; i < half; i++) {
                int a = style == RopeStyle.NORM ? at + 2 * i : at + i;
                float x0 = x[a];
                float x1 = x[a + step];
                float cos = this.cos[c0 + i];
                float sin = this.sin[c0 + i];
                x[a] = x0 * cos - x1 * sin;
                x[a + step] = x0 * sin + x1 * cos;
            }
        }
    }

    /** The scaled cos and sin of every pair at position {@code p}. */
    private void angles(int p, float[] cos, float[] sin) {
        float theta = p;
        for (int i = 0; i < dims / 2; i++) {
            float ff = freqFactors == null ? 1f : freqFactors[i];
            float extrapolated = theta / ff;
            float angle = freqScale * extrapolated;
            if (extFactor != 0) {
                float mix = ramp(i) * extFactor;
                angle = angle * (1 - mix) + extrapolated * mix;
            }
            cos[i] = (float) Math.cos(angle) * mscale;
            sin[i] = (float) Math.sin(angle) * mscale;
            theta *= thetaScale;
        }
    }

    /** 1 below the low correction dimension, 0 above the high one, linear in between. */
    private float ramp(int pair) {
        float y = (pair - corrLow) / Math.max(0.001f, corrHigh - corrLow);
        return 1 - Math.min(1f, Math.max(0f, y));
    }

    private static float logf(float v) {
        return (float) Math.log(v);
    }

    private static float floor(float v) {
        return (float) Math.floor(v);
    }

    private static float ceil(float v) {
        return (float) Math.ceil(v);
    }
}
