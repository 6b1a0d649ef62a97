package dev.quant4j.api.spi;

import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** An open model: metadata and memory-mapped tensor views, valid until {@link #close()}. */
public interface ModelReader extends Closeable {
    Path path();

    ContainerInfo container();

    Metadata metadata();

    /** Tensors in file order; offsets are relative to the data section of the shard holding them. */
    List<TensorInfo> tensors();

    /** A zero-copy view of a tensor's bytes. */
    TensorView view(TensorInfo tensor) throws IOException;

    /**
     * Where {@code tensor}'s bytes lie in a file, stored as {@link #view} shows them, so a consumer may read them with
     * positional reads instead of through the mapping; empty when the reader cannot say (the default: views built
     * in memory, substituted or transformed tensors).
     */
    default Optional<FileRegion> fileRegion(TensorInfo tensor) {
        return Optional.empty();
    }

    /** Index of the file (in {@link ContainerInfo#files()}) that holds tensor {@code name}; 0 for one file. */
    default int shardOf(String name) {
        return 0;
    }

    default ModelLayout layout() {
        return new ModelLayout(metadata(), tensors().stream()
                .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList());
    }

    @Override
    void close() throws IOException;
}
