package dev.quant4j.gguf.io;

import dev.quant4j.api.error.NoSpaceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Refuses a write up front when its file system has less usable space than the planned files take. */
final class FreeSpace {
    private FreeSpace() {
    }

    static void check(WritePlan plan, boolean resume) throws IOException {
        long needed = 0;
        for (ShardPlan s : plan.shards()) {
            long have = resume && Files.isRegularFile(s.temp()) && Files.size(s.temp()) == s.fileSize() ? s.fileSize() : 0;
            needed += s.fileSize() - have; // a kept temp file is already allocated (at most its size)
        }
        Path first = plan.shards().getFirst().file();
        Path dir = first.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return; // opening the file names the missing directory
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < needed) {
            throw new NoSpaceException(first, needed, free, "free some space or write to another file system");
        }
    }
}
