package dev.quant4j.api.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** A tensor's encoded bytes in a quantizer's declared encoding. */
public record QuantizedTensor(String name, TensorEncoding encoding, Shape shape, MemorySegment data) {
    public QuantizedTensor {
        Objects.requireNonNull(name);
        Objects.requireNonNull(encoding);
        Objects.requireNonNull(shape);
        data = data.asReadOnly();
    }

    /** Bits per weight of the encoded size, scales included. */
    public double bitsPerWeight() {
        return 8.0 * data.byteSize() / shape.elementCount();
    }
}
