package dev.quant4j.safetensors.io;

import dev.quant4j.api.tensor.DType;
import java.util.Map;
import java.util.Optional;

/** The safetensors dtype names this reader knows, and their element types. */
final class SafetensorsDType {
    private static final Map<String, DType> BY_NAME = Map.ofEntries(
            Map.entry("F64", DType.F64), Map.entry("F32", DType.F32), Map.entry("F16", DType.F16),
            Map.entry("BF16", DType.BF16), Map.entry("F8_E4M3", DType.F8_E4M3), Map.entry("F8_E5M2", DType.F8_E5M2),
            Map.entry("I64", DType.I64), Map.entry("I32", DType.I32), Map.entry("I16", DType.I16),
            Map.entry("I8", DType.I8), Map.entry("U8", DType.U8));

    private SafetensorsDType() {
    }

    static Optional<DType> of(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The safetensors name of {@code type}; empty for types safetensors cannot hold (block-quantized ggml). */
    static Optional<String> nameOf(DType type) {
        return BY_NAME.entrySet().stream().filter(e -> e.getValue() == type).map(Map.Entry::getKey).findFirst();
    }

    static String known() {
        return new java.util.TreeSet<>(BY_NAME.keySet()).toString();
    }
}
