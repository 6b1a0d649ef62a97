package dev.quant4j.integer.seed;

import dev.quant4j.api.tensor.QuantizedTensor;
import dev.quant4j.api.tensor.TensorView;
import java.util.Objects;

/**
 * Real size of an encoded tensor against its source: bits per weight and compression ratio from the bytes
 * actually written, scales and zero points included.
 *
 * @param tensor        tensor name
 * @param encoding      encoding name, e.g. {@code int8/per-row}
 * @param elements      number of weights
 * @param sourceBytes   bytes of the source tensor (e.g. 4 per weight for F32)
 * @param encodedBytes  bytes of the encoding
 */
public record SizeReport(String tensor, String encoding, long elements, long sourceBytes, long encodedBytes) {
    public SizeReport {
        Objects.requireNonNull(tensor);
        Objects.requireNonNull(encoding);
        if (elements <= 0 || sourceBytes <= 0 || encodedBytes <= 0) {
            throw new IllegalArgumentException("tensor '" + tensor + "': sizes must be positive, got " + elements
                    + " elements, " + sourceBytes + " source bytes, " + encodedBytes + " encoded bytes");
        }
    }

    public static SizeReport of(TensorView source, QuantizedTensor encoded) {
        if (!source.shape().equals(encoded.shape())) {
            throw new IllegalArgumentException("tensor '" + source.name() + "': source shape " + source.shape()
                    + " differs from the encoded shape " + encoded.shape());
        }
        return new SizeReport(encoded.name(), encoded.encoding().name(), source.shape().elementCount(),
                source.data().byteSize(), encoded.data().byteSize());
    }

    public double bitsPerWeight() {
        return 8.0 * encodedBytes / elements;
    }

    /** Source bytes over encoded bytes, e.g. 3.9 for F32 to int8 per-row with long rows. */
    public double compressionRatio() {
        return (double) sourceBytes / encodedBytes;
    }
}
