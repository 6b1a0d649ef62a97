package dev.quant4j.engine;

import dev.quant4j.api.error.NoSpaceException;
import dev.quant4j.api.spi.ModelWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Free space: refused up front against the computed output size, and reported plainly when the device fills. */
final class DiskFull {
    private static final long ALIGNMENT = 32;

    private DiskFull() {
    }

    /**
     * Refuses a run whose output (the tensors' sizes, each padded to GGUF's default alignment — a lower bound
     * of the file size) cannot fit. A resumed run is checked by {@link #checkRemaining} once the journal is read.
     */
    static void checkEstimate(Path output, long[] tensorBytes, boolean resume) throws IOException {
        Path dir = output.toAbsolutePath().getParent();
        if (resume || dir == null || !Files.isDirectory(dir)) {
            return;
        }
        long needed = 0;
        for (long b : tensorBytes) {
            needed += (b + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < needed) {
            throw new NoSpaceException(output, needed, free, "free some space or write to another file system");
        }
    }

    /**
     * Refuses a write whose temp files (just created, sized but sparse: only the header is on disk) need more
     * room than the device has. A resumed run is checked by {@link #checkRemaining} instead.
     */
    static void checkFiles(Path output, List<Path> temps, boolean resume) throws IOException {
        if (resume || temps.isEmpty()) {
            return;
        }
        long needed = 0;
        for (Path t : temps) {
            needed += Files.size(t);
        }
        long free = Files.getFileStore(temps.getFirst().toAbsolutePath().getParent()).getUsableSpace();
        if (free < needed) {
            throw new NoSpaceException(output, needed, free, "free some space or write to another file system");
        }
    }

    /**
     * A resumed run (or a first run with {@code --resume}, which skipped the checks above): refuses when the
     * tensors still to be written — all but those the journal verified — need more room than the device has. The
     * kept temp file is sparse where those tensors go, so the remaining bytes are what the run still takes.
     */
    static void checkRemaining(Path output, List<TensorStep> steps, Set<Integer> verified) throws IOException {
        Path dir = output.toAbsolutePath().getParent();
        long needed = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (!verified.contains(i)) {
                needed += steps.get(i).outputBytes();
            }
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < needed) {
            throw new NoSpaceException(output, needed, free, "the partial output " + dir.resolve(output.getFileName()
                    + ".tmp") + " and its journal are kept: free some space and run again with --resume");
        }
    }

    /**
     * Takes the device space of a tensor that its quantizer writes straight into the output mapping (one not
     * row-independent) with positional writes of zeros first. A full device then fails here with an IOException,
     * instead of a fault (SIGBUS, an {@code InternalError}) in the middle of the quantizer's stores.
     */
    static void reserve(ModelWriter writer, int index, long bytes) throws IOException {
        MemorySegment zeros = MemorySegment.ofArray(new byte[(int) Math.min(bytes, 1 << 20)]);
        for (long off = 0; off < bytes; off += zeros.byteSize()) {
            writer.write(index, off, zeros.asSlice(0, Math.min(zeros.byteSize(), bytes - off)));
        }
    }

    /** The device-full form of a write failure, naming the output, its size and the free space; else {@code e}. */
    static IOException translate(IOException e, Path output, List<Path> temps, boolean resume) {
        if (e instanceof NoSpaceException || !isNoSpace(e)) {
            return e;
        }
        long needed = 0;
        long free = -1;
        try {
            for (Path t : temps) {
                needed += Files.size(t);
            }
            free = Files.getFileStore(output.toAbsolutePath().getParent()).getUsableSpace();
        } catch (IOException | RuntimeException ignored) {
            // the sizes are for the message only
        }
        String remedy = resume && !temps.isEmpty()
                ? "the partial output " + temps.getFirst() + " and its journal are kept: free some space and run again with --resume"
                : "the partial output was removed; free some space or write to another file system";
        NoSpaceException n = new NoSpaceException(output, needed, free, remedy);
        n.initCause(e);
        return n;
    }

    private static boolean isNoSpace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.contains("There is not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }
}
