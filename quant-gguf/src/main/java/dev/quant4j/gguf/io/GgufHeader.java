package dev.quant4j.gguf.io;

import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.List;
import java.util.Map;

/**
 * The parsed header of one GGUF file.
 *
 * @param version    the file's version (always 3 once parsed)
 * @param alignment  {@code general.alignment} or 32
 * @param metadata   every key/value pair, in file order, verbatim
 * @param tensors    tensor infos in file order; offsets relative to {@code dataOffset}
 * @param headerEnd  offset of the first byte after the tensor infos
 * @param dataOffset start of the data section: {@code headerEnd} aligned up
 * @param fileSize   the file's size in bytes
 * @param keyOffsets where each metadata key's record starts, for error messages
 */
record GgufHeader(int version, long alignment, Metadata metadata, List<TensorInfo> tensors, long headerEnd,
                  long dataOffset, long fileSize, Map<String, Long> keyOffsets) {
    GgufHeader {
        tensors = List.copyOf(tensors);
        keyOffsets = Map.copyOf(keyOffsets);
    }

    /** Where {@code key}'s record starts, or 24 (the first record) when the key is absent. */
    long offsetOf(String key) {
        return keyOffsets.getOrDefault(key, 24L);
    }
}
