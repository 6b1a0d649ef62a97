package dev.quant4j.gguf.io;

import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything about one output file, fixed before a byte is written.
 *
 * @param file       final name
 * @param temp       where it is written until commit ({@code file + ".tmp"})
 * @param metadata   the metadata this file carries
 * @param tensors    its tensors with offsets relative to {@code dataOffset}
 * @param dataOffset where the data section starts (header size aligned up; the header size when no tensors)
 * @param fileSize   total size: data section included, each tensor padded to the alignment
 */
record ShardPlan(Path file, Path temp, Metadata metadata, List<TensorInfo> tensors, long dataOffset, long fileSize) {
    ShardPlan {
        tensors = List.copyOf(tensors);
    }
}
