package dev.quant4j.integer.activation;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.util.Objects;

/**
 * Dynamic (at run time, per input) symmetric quantization of activations: a scheme (int8 per tensor, int8 per
 * row, int4 per tensor) and a {@link ScaleRule}. {@code q = clamp(round(x / scale), -qmax, qmax)}, ties to
 * even; {@code x' = q * scale}. Immutable and thread safe.
 *
 * <p>Scales: {@code scale = clip / qmax}. A run whose values are all zero gets scale 1 (its codes are 0, so it
 * decodes exactly); a percentile clip of 0 over values that are not all zero would silently zero them and
 * is refused. Explicit scales must be finite and positive.
 */
public final class DynamicQuantizer {
    private final ActivationScheme scheme;
    private final ScaleRule rule;

    public DynamicQuantizer(ActivationScheme scheme, ScaleRule rule) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    public ActivationScheme scheme() {
        return scheme;
    }

    public ScaleRule rule() {
        return rule;
    }

    /** Quantizes a row-major {@code rows x cols} matrix with scales found from the data. */
    public QuantizedActivations quantize(float[] x, int rows, int cols) {
        checkShape(rows, cols, x.length, "input");
        checkFinite(x, 0, x.length);
        byte[] codes = new byte[x.length];
        float[] scratch = rule.needsScratch() ? new float[scheme.perRow() ? cols : x.length] : null;
        float[] scales;
        if (scheme.perRow()) {
            scales = new float[rows];
            for (int r = 0; r < rows; r++) {
                scales[r] = scaleFor(x, r * cols, cols, scratch);
                encode(x, r * cols, cols, scales[r], scheme.qmax(), codes, r * cols);
            }
        } else {
            scales = new float[] {scaleFor(x, 0, x.length, scratch)};
            encode(x, 0, x.length, scales[0], scheme.qmax(), codes, 0);
        }
        return new QuantizedActivations(scheme, rows, cols, codes, scales);
    }

    /** Quantizes with given scales (static quantization from calibration): one, or one per row. */
    public QuantizedActivations quantizeWithScales(float[] x, int rows, int cols, float[] scales) {
        checkShape(rows, cols, x.length, "input");
        int want = scheme.perRow() ? rows : 1;
        if (scales.length != want) {
            throw new IllegalArgumentException(scheme + " needs " + want + " scales, got " + scales.length);
        }
        for (int i = 0; i < scales.length; i++) {
            checkScale(scales[i], i);
        }
        checkFinite(x, 0, x.length);
        byte[] codes = new byte[x.length];
        for (int r = 0; r < rows; r++) {
            encode(x, r * cols, cols, scales[scheme.perRow() ? r : 0], scheme.qmax(), codes, r * cols);
        }
        return new QuantizedActivations(scheme, rows, cols, codes, scales.clone());
    }

    /**
     * The dynamic scale of {@code x[off, off + len)} under this quantizer's rule and qmax; {@code scratch}
     * ({@code len} floats) is needed only by percentile rules.
     */
    public float scaleFor(float[] x, int off, int len, float[] scratch) {
        if (len <= 0) {
            throw new IllegalArgumentException("cannot find a scale for an empty input");
        }
        float clip = rule.clip(x, off, len, scratch);
        if (clip == 0f) {
            for (int i = off; i < off + len; i++) {
                if (x[i] != 0f) {
                    throw new IllegalArgumentException(rule + " gives a clip value of 0 but the input holds "
                            + x[i] + " at index " + (i - off) + "; every value would quantize to 0. Use a larger p"
                            + " or max-abs");
                }
            }
            return 1f;
        }
        float scale = clip / scheme.qmax();
        if (scale == 0f) {
            throw new IllegalArgumentException("clip value " + clip + " is too small: its scale " + clip + "/"
                    + scheme.qmax() + " underflows to 0");
        }
        return scale;
    }

    /** {@code codes[codesOff + i] = clamp(round(x[off + i] / scale), -qmax, qmax)}; no allocation. */
    public static void encode(float[] x, int off, int len, float scale, int qmax, byte[] codes, int codesOff) {
        float hi = qmax;
        for (int i = 0; i < len; i++) {
            codes[codesOff + i] = (byte) Math.rint(Math.clamp(x[off + i] / scale, -hi, hi));
        }
    }

    static void checkShape(int rows, int cols, int length, String what) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("empty " + what + ": " + rows + " x " + cols + " values");
        }
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(what + " holds " + length + " values, not " + rows + " x " + cols
                    + " = " + (long) rows * cols);
        }
    }

    static void checkScale(float s, int index) {
        if (!(s > 0f) || !Float.isFinite(s)) {
            throw new IllegalArgumentException("scale " + index + " is " + s + "; scales must be finite and > 0");
        }
    }

    static void checkFinite(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (!Float.isFinite(x[i])) {
                throw new QuantException(ErrorCode.NON_FINITE_INPUT, "activation " + x[i] + " at index " + (i - off)
                        + "; fix the input before quantizing");
            }
        }
    }
}
