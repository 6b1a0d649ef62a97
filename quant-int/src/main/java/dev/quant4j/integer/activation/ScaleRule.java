package dev.quant4j.integer.activation;

import java.util.Arrays;

/**
 * How a dynamic scale is found: the clip value {@code c} that maps onto the largest code, {@code scale = c / qmax}.
 */
public sealed interface ScaleRule {
    /** {@code c = max |x|}: nothing is clipped. */
    record MaxAbs() implements ScaleRule {
    }

    /**
     * {@code c} = the nearest-rank {@code p}-quantile of |x|: the {@code ceil(p * n)}-th smallest |x|
     * (p = 1 is max |x|). Larger values saturate to the largest code.
     */
    record Percentile(double p) implements ScaleRule {
        public Percentile {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("percentile p must be in (0, 1], got " + p);
            }
        }
    }

    static ScaleRule maxAbs() {
        return new MaxAbs();
    }

    static ScaleRule percentile(double p) {
        return new Percentile(p);
    }

    /**
     * Clip value of {@code x[off, off + len)}; {@code scratch} (at least {@code len} long) is used by the
     * percentile rule, which sorts a copy of |x|.
     */
    default float clip(float[] x, int off, int len, float[] scratch) {
        return switch (this) {
            case MaxAbs m -> {
                float c = 0f;
                for (int i = off; i < off + len; i++) {
                    c = Math.max(c, Math.abs(x[i]));
                }
                yield c;
            }
            case Percentile(double p) -> {
                for (int i = 0; i < len; i++) {
                    scratch[i] = Math.abs(x[off + i]);
                }
                Arrays.sort(scratch, 0, len);
                int rank = (int) Math.ceil(p * len);
                yield scratch[Math.clamp(rank - 1, 0, len - 1)];
            }
        };
    }

    /** True when {@link #clip} needs a scratch array. */
    default boolean needsScratch() {
        return this instanceof Percentile;
    }
}
