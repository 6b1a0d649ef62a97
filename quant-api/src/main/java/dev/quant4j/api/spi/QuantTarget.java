package dev.quant4j.api.spi;

import java.util.Objects;

/**
 * The quantizer a weight will be written with after the transforms (the planner's choice), so that a transform
 * can search for what quantizes best with it (AWQ).
 *
 * @param quantizer the configured quantizer
 * @param weighted  whether that quantization is weighted by importance (an imatrix): a transform then passes the
 *                  mean squares of the weight's input, as seen after its own scaling, as the importance
 */
public record QuantTarget(Quantizer quantizer, boolean weighted) {
    public QuantTarget {
        Objects.requireNonNull(quantizer);
    }
}
