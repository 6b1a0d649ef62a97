package dev.quant4j.api.tensor;

import java.util.Objects;

/** How a quantizer lays out its bytes: a ggml block type that GGUF carries, or a layout of its own. */
public sealed interface TensorEncoding {
    /** Name written to reports, e.g. {@code q4_k} or {@code int8/per-row}. */
    String name();

    /** A ggml type; bytes follow spec/quant-types.md exactly. */
    record Ggml(DType type) implements TensorEncoding {
        public Ggml {
            Objects.requireNonNull(type);
        }

        @Override
        public String name() {
            return type.lowerName();
        }
    }

    /** A provider-defined layout (scales and codes as the provider documents). */
    record Custom(String name) implements TensorEncoding {
        public Custom {
            Objects.requireNonNull(name);
        }
    }
}
