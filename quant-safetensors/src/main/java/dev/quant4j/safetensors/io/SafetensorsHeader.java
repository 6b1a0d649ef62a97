package dev.quant4j.safetensors.io;

import dev.quant4j.api.tensor.TensorInfo;
import java.util.List;
import java.util.Map;

/**
 * A parsed, validated safetensors header.
 *
 * @param metadata   the {@code __metadata__} strings, in file order
 * @param tensors    tensors in data order; offsets relative to {@link #dataOffset()}
 * @param dataOffset where the data section starts: 8 + header length
 */
record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors, long dataOffset) {
    SafetensorsHeader {
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }
}
