package dev.quant4j.gguf.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Makes renames durable: a directory's entries reach storage only when the directory itself is forced. */
final class Durable {
    private Durable() {
    }

    /** Forces the parent directory of every file once (POSIX; where directories cannot be opened, skipped). */
    static void forceDirectories(List<Path> files) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path f : files) {
            Path parent = f.toAbsolutePath().getParent();
            if (parent != null) {
                dirs.add(parent);
            }
        }
        for (Path d : dirs) {
            FileChannel ch;
            try {
                ch = FileChannel.open(d, StandardOpenOption.READ);
            } catch (IOException | UnsupportedOperationException e) {
                continue; // Windows cannot open a directory; its renames are journaled by NTFS
            }
            try (ch) {
                ch.force(true);
            }
        }
    }
}
