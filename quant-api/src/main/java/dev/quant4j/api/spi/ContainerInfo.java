package dev.quant4j.api.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * Facts about the container a reader opened.
 *
 * @param format     format name, e.g. {@code gguf}
 * @param version    container version
 * @param alignment  data alignment in bytes
 * @param dataOffset absolute offset of the (first shard's) data section
 * @param files      the files of the model: one, or every shard of a split model
 */
public record ContainerInfo(String format, int version, long alignment, long dataOffset, List<Path> files) {
    public ContainerInfo {
        files = List.copyOf(files);
    }
}
