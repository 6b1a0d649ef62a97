package dev.quant4j.gguf.io;

import dev.quant4j.api.io.FileRegion;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One GGUF file mapped read-only into {@code arena} (any size; pages load lazily) with its parsed header.
 *
 * @param path   the file
 * @param data   the whole file
 * @param header its header
 */
record MappedShard(Path path, MemorySegment data, GgufHeader header) {

    static MappedShard map(Path path, Arena arena) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "not a regular file");
        }
        MemorySegment data;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            data = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
        return new MappedShard(path, data, HeaderReader.read(path, data));
    }


    /**
     * The bytes after the header, to which tensor offsets are relative (empty when a file without tensors ends
     * before its aligned data offset).
     */
    MemorySegment dataSection() {
        return data.asSlice(Math.min(header.dataOffset(), data.byteSize()));
    }

    /** Where {@link #dataSection} lies in the file. */
    FileRegion dataRegion() {
        long start = Math.min(header.dataOffset(), data.byteSize());
        return new FileRegion(path, start, data.byteSize() - start);
    }
}
