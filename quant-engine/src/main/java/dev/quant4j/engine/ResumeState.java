package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal side of one write: decides, before the writer touches the temp files, whether an interrupted run
 * is continued (resume and a matching journal), refused (resume and a journal of another run) or replaced
 * (no resume: a stale temp file is overwritten with a warning); then re-checks every tensor the journal claims.
 */
final class ResumeState {
    private final Path output;
    private final Path journalFile;
    private final RunIdentity identity;
    private final boolean resume;
    private final Journal.Loaded loaded;
    private final Map<Integer, Journal.Done> verified = new HashMap<>();

    private ResumeState(Path output, RunIdentity identity, boolean resume, Journal.Loaded loaded) {
        this.output = output;
        this.journalFile = Journal.pathFor(output);
        this.identity = identity;
        this.resume = resume;
        this.loaded = loaded;
    }

    static ResumeState prepare(Path output, RunIdentity identity, boolean resume, ProgressListener listener)
            throws IOException {
        Path journal = Journal.pathFor(output);
        Path temp = output.toAbsolutePath().resolveSibling(output.getFileName() + ".tmp");
        if (resume && Files.exists(journal)) {
            Journal.Loaded loaded = Journal.read(journal);
            identity.mismatch(loaded.header()).ifPresent(reason -> {
                throw new QuantException(ErrorCode.INVALID_PLAN, "cannot resume " + output + ": " + reason
                        + "; run without --resume to start over (the partial output is then replaced)");
            });
            return new ResumeState(output, identity, true, loaded);
        }
        if (resume && Files.exists(temp)) {
            listener.warning(temp + " has no journal (" + journal.getFileName() + "); starting from the beginning");
        } else if (!resume && (Files.exists(journal) || Files.exists(temp))) {
            listener.warning("replacing " + temp + " left by an interrupted run (--resume would continue it)");
        }
        Files.deleteIfExists(journal);
        return new ResumeState(output, identity, resume, null);
    }

    /**
     * Opens the journal for this write. When continuing, every finished tensor's bytes in the (reopened) temp
     * file are checksummed again; those that do not match the journal are written again.
     */
    Journal open(ModelWriter writer, List<TensorStep> steps, boolean sync, ProgressListener listener) throws IOException {
        if (loaded == null) {
            return Journal.start(journalFile, identity.lines(), sync);
        }
        int rejected = 0;
        for (Journal.Done d : loaded.done().values()) {
            boolean ok = d.index() >= 0 && d.index() < steps.size()
                    && steps.get(d.index()).plan().name().equals(d.name())
                    && Journal.crc(writer.tensorData(d.index())) == d.crc();
            if (ok) {
                verified.put(d.index(), d);
            } else {
                rejected++;
            }
        }
        listener.warning("resuming " + output + ": " + verified.size() + " of " + steps.size()
                + " tensors already written and verified" + (rejected == 0 ? ""
                : ", " + rejected + " failed their checksum and are written again"));
        return Journal.append(journalFile, sync);
    }

    /** Tensors of the interrupted run whose bytes are verified, by layout index. */
    Map<Integer, Journal.Done> verified() {
        return verified;
    }

    /** After the write: the journal goes with a committed output, or with a failed one unless resumable. */
    void finish(boolean committed) throws IOException {
        if (committed || !resume) {
            Files.deleteIfExists(journalFile);
        }
    }
}
