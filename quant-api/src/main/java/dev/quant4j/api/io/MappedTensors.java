package dev.quant4j.api.io;

import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tensors of a model mapped from one or more files into one arena: which file holds each tensor, zero-copy views
 * of their bytes, and closing the mapping. What every {@code ModelReader} over mapped files shares.
 */
public final class MappedTensors implements AutoCloseable {
    /** Tensor {@code info} lies in file {@code file} (an index into the data sections). */
    public record Located(int file, TensorInfo info) {
    }

    private final Path path;
    private final Arena arena;
    private final List<MemorySegment> dataSections;
    private final Map<String, Located> byName;
    private final List<FileRegion> sectionFiles;

    /**
     * @param path         the model as the user named it (for messages)
     * @param dataSections per file, its data section (tensor offsets are relative to it)
     */
    public MappedTensors(Path path, Arena arena, List<MemorySegment> dataSections, Map<String, Located> byName) {
        this(path, arena, dataSections, byName, List.of());
    }

    /**
     * @param sectionFiles per file, where its data section lies in it ({@link #region}); empty when unknown
     */
    public MappedTensors(Path path, Arena arena, List<MemorySegment> dataSections, Map<String, Located> byName,
                         List<FileRegion> sectionFiles) {
        if (!sectionFiles.isEmpty() && sectionFiles.size() != dataSections.size()) {
            throw new IllegalArgumentException(sectionFiles.size() + " file regions for " + dataSections.size()
                    + " data sections");
        }
        this.path = path;
        this.arena = arena;
        this.dataSections = List.copyOf(dataSections);
        this.byName = Map.copyOf(byName);
        this.sectionFiles = List.copyOf(sectionFiles);
    }

    /** The tensor named {@code name}, if the model has it. */
    public Optional<TensorInfo> tensor(String name) {
        return Optional.ofNullable(byName.get(name)).map(Located::info);
    }

    /** Index of the file holding tensor {@code name}. */
    public int fileOf(String name) {
        Located at = byName.get(name);
        if (at == null) {
            throw new IllegalArgumentException(path + " has no tensor '" + name + "'");
        }
        return at.file();
    }

    /** A zero-copy view of {@code tensor}, which must be one of this model's tensors. */
    public TensorView view(TensorInfo tensor) {
        Located at = byName.get(tensor.name());
        if (at == null || !at.info().equals(tensor)) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is not a tensor of " + path);
        }
        return new TensorView(tensor.name(), tensor.type(), tensor.shape(),
                dataSections.get(at.file()).asSlice(tensor.offset(), tensor.byteSize()));
    }

    /** Where {@code tensor}'s bytes lie in its file, when the data sections' places were given. */
    public Optional<FileRegion> region(TensorInfo tensor) {
        Located at = byName.get(tensor.name());
        if (at == null || !at.info().equals(tensor) || sectionFiles.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sectionFiles.get(at.file()).slice(tensor.offset(), tensor.byteSize()));
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
