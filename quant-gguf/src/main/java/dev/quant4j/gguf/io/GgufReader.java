package dev.quant4j.gguf.io;

import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.io.MappedTensors;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF model open for reading: every file mapped into one shared arena, headers parsed, tensors served as
 * zero-copy views. The first shard of a split model opens the whole model (metadata of the first shard without
 * its split.* keys; tensors of all shards in shard order); any other shard opens as the single file it is,
 * split keys included.
 */
final class GgufReader implements ModelReader {
    private final Path path;
    private final List<MappedShard> shards;
    private final Metadata metadata;
    private final List<TensorInfo> tensors;
    private final MappedTensors mapped;

    private GgufReader(Path path, Arena arena, List<MappedShard> shards, Metadata metadata) {
        this.path = path;
        this.shards = List.copyOf(shards);
        this.metadata = metadata;
        List<TensorInfo> all = new ArrayList<>();
        Map<String, MappedTensors.Located> where = new HashMap<>();
        for (int s = 0; s < shards.size(); s++) {
            for (TensorInfo t : shards.get(s).header().tensors()) {
                all.add(t);
                where.put(t.name(), new MappedTensors.Located(s, t));
            }
        }
        this.tensors = List.copyOf(all);
        this.mapped = new MappedTensors(path, arena, shards.stream().map(MappedShard::dataSection).toList(), where,
                shards.stream().map(MappedShard::dataRegion).toList());
    }

    static GgufReader open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return open(file, arena);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static GgufReader open(Path file, Arena arena) throws IOException {
        MappedShard first = MappedShard.map(file, arena);
        Optional<SplitKeys> split = SplitKeys.of(file, first.header());
        if (split.isEmpty() || split.get().no() != 0) {
            return new GgufReader(file, arena, List.of(first), first.header().metadata());
        }
        SplitKeys keys = split.get();
        List<MappedShard> shards = new ArrayList<>(List.of(first));
        if (keys.count() > 1) {
            Path prefix = SplitNames.prefixOf(file, 0, keys.count()).orElseThrow(() -> new CorruptFormatException(
                    file, first.header().offsetOf(GgufConstants.KEY_SPLIT_COUNT), GgufConstants.KEY_SPLIT_COUNT,
                    "the file is shard 1 of " + keys.count() + " but its name does not end in"
                            + String.format(" -00001-of-%05d.gguf; rename the shards as llama.cpp names them",
                            keys.count())));
            for (int i = 1; i < keys.count(); i++) {
                shards.add(shard(file, first, SplitNames.shard(prefix, i, keys.count()), i, keys, arena));
            }
        }
        checkTensors(file, first, shards, keys);
        return new GgufReader(file, arena, shards, SplitKeys.strip(first.header().metadata()));
    }

    private static MappedShard shard(Path file, MappedShard first, Path path, int index, SplitKeys keys, Arena arena)
            throws IOException {
        if (!Files.exists(path)) {
            throw new CorruptFormatException(file, first.header().offsetOf(GgufConstants.KEY_SPLIT_COUNT),
                    GgufConstants.KEY_SPLIT_COUNT, "the model has " + keys.count() + " shards but shard "
                    + (index + 1) + " (" + path + ") is missing");
        }
        MappedShard shard = MappedShard.map(path, arena);
        SplitKeys own = SplitKeys.of(path, shard.header()).orElseThrow(() -> new CorruptFormatException(path,
                24, GgufConstants.KEY_SPLIT_COUNT, "shard " + (index + 1) + " of " + file + " has no split keys"));
        if (own.no() != index || own.count() != keys.count() || own.tensors() != keys.tensors()) {
            throw new CorruptFormatException(path, shard.header().offsetOf(GgufConstants.KEY_SPLIT_NO),
                    GgufConstants.KEY_SPLIT_NO, "split keys say shard " + (own.no() + 1) + " of " + own.count()
                    + " with " + own.tensors() + " tensors; expected shard " + (index + 1) + " of " + keys.count()
                    + " with " + keys.tensors() + " as " + file + " says");
        }
        return shard;
    }

    private static void checkTensors(Path file, MappedShard first, List<MappedShard> shards, SplitKeys keys)
            throws CorruptFormatException {
        Map<String, Path> seen = new HashMap<>();
        long total = 0;
        for (MappedShard s : shards) {
            for (TensorInfo t : s.header().tensors()) {
                Path prev = seen.putIfAbsent(t.name(), s.path());
                if (prev != null) {
                    throw new CorruptFormatException(s.path(), s.header().headerEnd(), "tensor '" + t.name() + "'",
                            "duplicate tensor name: also in " + prev);
                }
            }
            total += s.header().tensors().size();
        }
        if (total != keys.tensors()) {
            throw new CorruptFormatException(file, first.header().offsetOf(GgufConstants.KEY_SPLIT_TENSORS),
                    GgufConstants.KEY_SPLIT_TENSORS, keys.tensors() + " tensors announced but the "
                    + shards.size() + " shards hold " + total);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public ContainerInfo container() {
        GgufHeader h = shards.getFirst().header();
        return new ContainerInfo("gguf", h.version(), h.alignment(), h.dataOffset(),
                shards.stream().map(MappedShard::path).toList());
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
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
