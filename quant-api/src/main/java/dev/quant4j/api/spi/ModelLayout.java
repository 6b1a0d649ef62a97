package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import java.util.List;
import java.util.Objects;

/** What a writer will write: metadata and every tensor's name, type, shape and byte size, in order. */
public record ModelLayout(Metadata metadata, List<TensorSlot> tensors) {
    public record TensorSlot(String name, DType type, Shape shape, long byteSize) {
        public TensorSlot {
            Objects.requireNonNull(name);
            Objects.requireNonNull(type);
            Objects.requireNonNull(shape);
            if (byteSize < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative size " + byteSize);
            }
        }
    }

    public ModelLayout {
        Objects.requireNonNull(metadata);
        tensors = List.copyOf(tensors);
    }
}
