package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a power loss can leave of the journal, checked by recording every force with the file system's state at
 * that moment: the header reaches storage under the side name, is renamed, and only then is the directory forced
 * (so the name never points at an incomplete header); a finished-tensor line is forced after it is written.
 */
class JournalDurabilityTest {
    /** Records each force together with what the directory and the journal hold at that moment. */
    private static final class Recorder implements Durability {
        final List<String> events = new ArrayList<>();
        private final Path journal;

        Recorder(Path journal) {
            this.journal = journal;
        }

        @Override
        public void force(FileChannel channel) throws IOException {
            events.add("force size=" + channel.size() + " journal-exists=" + Files.exists(journal)
                    + (Files.exists(journal) ? " journal=" + Files.readString(journal, StandardCharsets.UTF_8).lines().count() + " lines" : ""));
        }

        @Override
        public void forceDirectory(Path file) throws IOException {
            events.add("force-dir " + file.getParent().getFileName() + " journal-exists=" + Files.exists(journal)
                    + " side-exists=" + Files.exists(journal.resolveSibling(journal.getFileName() + ".new")));
        }
    }

    @Test
    void headerIsForcedThenRenamedThenTheDirectoryIsForced(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.gguf.tmp.journal");
        Recorder r = new Recorder(file);
        try (Journal j = Journal.start(file, List.of("input a", "plan b"), r)) {
            assertEquals(2, r.events.size(), r.events.toString());
            assertTrue(r.events.get(0).startsWith("force size="), r.events.toString());
            assertTrue(r.events.get(0).endsWith("journal-exists=false"), "the header is forced before the rename: " + r.events);
            assertEquals("force-dir " + dir.getFileName() + " journal-exists=true side-exists=false", r.events.get(1),
                    "the directory is forced after the rename");
            j.done(new Journal.Done(0, "blk.0.attn_q.weight", 0x1234, 0.5, 0.1));
            assertEquals("force size=" + Files.size(file) + " journal-exists=true journal=5 lines", r.events.get(2),
                    "the done line is forced once written (magic, 2 header lines, end, done)");
        }
        assertEquals(1, Journal.read(file).done().size());
    }

    @Test
    void noFsyncForcesNothingAndRealSyncWorks(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("j");
        for (boolean sync : new boolean[] {false, true}) {
            try (Journal j = Journal.start(file, List.of("h"), sync)) {
                j.done(new Journal.Done(3, "t", 7, 0, 0));
            }
            assertEquals(List.of("h"), Journal.read(file).header());
            assertFalse(Files.exists(dir.resolve("j.new")));
        }
    }
}
