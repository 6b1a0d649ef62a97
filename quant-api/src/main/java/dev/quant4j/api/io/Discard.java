package dev.quant4j.api.io;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Undoing an unfinished output: unmap its arena, close its channels, delete the files it created. Every step is
 * tried even when an earlier one fails, so nothing is left behind that could be removed.
 */
public final class Discard {
    private Discard() {
    }

    /**
     * Unmaps {@code arena} (if still open), closes {@code channels} and deletes {@code created}. Failures are
     * attached to {@code cause} when there is one (the error that made the output unfinished); otherwise the first
     * is thrown with the others suppressed.
     */
    public static void all(Arena arena, List<? extends Closeable> channels, List<Path> created, Throwable cause)
            throws IOException {
        IOException failure = null;
        try {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        } catch (RuntimeException e) {
            failure = add(failure, cause, new IOException("could not unmap " + created, e));
        }
        for (Closeable ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                failure = add(failure, cause, e);
            }
        }
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failure = add(failure, cause, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException add(IOException failure, Throwable cause, IOException e) {
        if (cause != null) {
            cause.addSuppressed(e);
            return null;
        }
        if (failure != null) {
            failure.addSuppressed(e);
            return failure;
        }
        return e;
    }
}
