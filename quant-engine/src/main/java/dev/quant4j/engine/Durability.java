package dev.quant4j.engine;

import dev.quant4j.api.io.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * How the journal reaches storage: a file's data forced, and a directory forced after a rename so the new name
 * survives a power loss. A seam so tests can record the order of forces and renames.
 */
interface Durability {
    /** Forces {@code channel}'s data (and its size) to storage. */
    void force(FileChannel channel) throws IOException;

    /** Forces the directory holding {@code file}, making a rename or creation of it durable. */
    void forceDirectory(Path file) throws IOException;

    /** fsync/fdatasync and a forced directory. */
    Durability DEVICE = new Durability() {
        @Override
        public void force(FileChannel channel) throws IOException {
            channel.force(false);
        }

        @Override
        public void forceDirectory(Path file) throws IOException {
            AtomicFiles.forceDirectories(List.of(file));
        }
    };

    /** {@code --no-fsync}: write-back is left to the OS. */
    Durability NONE = new Durability() {
        @Override
        public void force(FileChannel channel) {
        }

        @Override
        public void forceDirectory(Path file) {
        }
    };

    static Durability of(boolean sync) {
        return sync ? DEVICE : NONE;
    }
}
