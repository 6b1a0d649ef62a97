package dev.quant4j.safetensors.io;

import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.io.MappedTensors;
import dev.quant4j.api.io.MappedTensors.Located;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * safetensors file(s) open for reading: each file mapped into one shared arena, headers validated, tensors served
 * as zero-copy views under their stored names, in file order then data order. Metadata is the first file's
 * {@code __metadata__} strings. With an index, the index and the files must agree tensor for tensor.
 */
public final class SafetensorsReader implements ModelReader {
    /** The largest header accepted (the safetensors library's own limit). */
    public static final long MAX_HEADER = HeaderParser.MAX_HEADER;
    private final Path path;
    private final List<MappedFile> files;
    private final List<TensorInfo> tensors;
    private final MappedTensors mapped;

    private SafetensorsReader(Path path, Arena arena, List<MappedFile> files, Map<String, Located> byName) {
        this.path = path;
        this.files = List.copyOf(files);
        this.tensors = files.stream().flatMap(f -> f.header().tensors().stream()).toList();
        this.mapped = new MappedTensors(path, arena, files.stream().map(MappedFile::dataSection).toList(), byName,
                files.stream().map(MappedFile::dataRegion).toList());
    }

    /** Opens a file, an index or a directory (see {@link ModelFiles}). */
    public static SafetensorsReader open(Path path) throws IOException {
        ModelFiles mf = ModelFiles.resolve(path);
        Arena arena = Arena.ofShared();
        try {
            List<MappedFile> files = new ArrayList<>();
            for (Path p : mf.files()) {
                files.add(MappedFile.map(p, arena));
            }
            return new SafetensorsReader(path, arena, files, check(mf, files));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, Located> check(ModelFiles mf, List<MappedFile> files) throws CorruptFormatException {
        Map<String, Located> where = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            MappedFile f = files.get(i);
            String fileName = f.path().getFileName().toString();
            for (TensorInfo t : f.header().tensors()) {
                Located prev = where.putIfAbsent(t.name(), new Located(i, t));
                if (prev != null) {
                    throw new CorruptFormatException(f.path(), 8, "tensor '" + t.name() + "'",
                            "duplicate tensor name: also in " + files.get(prev.file()).path());
                }
                if (mf.index() != null && !fileName.equals(mf.weightMap().get(t.name()))) {
                    throw new CorruptFormatException(mf.index(), 0, "weight_map", "tensor '" + t.name() + "' is in "
                            + fileName + " but the index " + (mf.weightMap().containsKey(t.name())
                            ? "says " + mf.weightMap().get(t.name()) : "does not list it"));
                }
            }
        }
        for (Map.Entry<String, String> e : mf.weightMap().entrySet()) {
            if (!where.containsKey(e.getKey())) {
                throw new CorruptFormatException(mf.index(), 0, "weight_map", "tensor '" + e.getKey()
                        + "' is listed in " + e.getValue() + " but that file does not hold it");
            }
        }
        return where;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public ContainerInfo container() {
        return new ContainerInfo("safetensors", 0, 1, files.getFirst().header().dataOffset(),
                files.stream().map(MappedFile::path).toList());
    }

    @Override
    public Metadata metadata() {
        List<Metadata.Entry> e = new ArrayList<>();
        files.getFirst().header().metadata().forEach((k, v) -> e.add(new Metadata.Entry(k, new MetaValue.Text(v))));
        return new Metadata(e);
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** The tensor named {@code name}, if any. */
    public java.util.Optional<TensorInfo> tensor(String name) {
        return mapped.tensor(name);
    }

    @Override
    public int shardOf(String name) {
        return mapped.fileOf(name);
    }

    @Override
    public TensorView view(TensorInfo tensor) {
        return mapped.view(tensor);
    }

    @Override
    public Optional<FileRegion> fileRegion(TensorInfo tensor) {
        return mapped.region(tensor);
    }

    @Override
    public void close() {
        mapped.close();
    }
}
