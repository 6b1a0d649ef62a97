package dev.quant4j.api.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The last steps of writing a file so that readers see either the old file or the complete new one: rename a
 * finished temp file over the target, and make renames durable. Every writer of the project (models, journals,
 * caches, statistics) commits through here.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Renames {@code from} to {@code to}, replacing it; atomically where the file system can. */
    public static void replace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Forces the parent directory of every file once, so their renames reach storage (a directory's entries are
     * durable only when the directory itself is forced). POSIX; where directories cannot be opened, skipped.
     */
    public static void forceDirectories(List<Path> files) throws IOException {
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
