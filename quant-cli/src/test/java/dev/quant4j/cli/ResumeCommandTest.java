package dev.quant4j.cli;

import dev.quant4j.tck.SmallFilesystem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --resume}, {@code --no-fsync} and a full device as the user sees them: messages and exit codes. */
class ResumeCommandTest {
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = new DemoModel(2, 256, 512, 4, 2, 2048, 3)
                .write(QuantRegistry.load(ResumeCommandTest.class.getClassLoader()), dir.resolve("m-f16.gguf"));
    }

    record Run(int code, String out, String err) {
    }

    static Run quant(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void fullDeviceExitsWithFourAndLeavesNothing(@TempDir Path tmp) throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "1m")) {
            Path out = fs.dir().resolve("o.gguf");
            for (String dry : new String[] {"--dry-run", "--no-fsync"}) {
                Run r = quant("quantize", "-q", dry, model.toString(), out.toString(), "F16");
                assertEquals(4, r.code(), r.err());
                assertTrue(r.err().contains("no space left on device while writing " + out + " (needed "), r.err());
                try (Stream<Path> s = Files.list(fs.dir())) {
                    assertEquals(List.of(), s.toList(), "no .tmp left");
                }
            }
        }
    }

    @Test
    void journalOfAnotherRunIsRefusedWithTheReasonAndStaleTempIsReplaced(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o.gguf");
        Path ref = tmp.resolve("ref.gguf");
        assertEquals(0, quant("quantize", "-q", model.toString(), ref.toString(), "Q8_0").code());
        // an interrupted Q4_0 run: a complete journal header and an empty temp file of another size
        Files.writeString(tmp.resolve("o.gguf.tmp"), "partial");
        Files.writeString(tmp.resolve("o.gguf.tmp.journal"), "");
        Run bad = quant("quantize", "-q", "--resume", model.toString(), out.toString(), "Q8_0");
        assertEquals(3, bad.code(), bad.err());
        assertTrue(bad.err().contains("cannot resume: the journal " + tmp.resolve("o.gguf.tmp.journal")
                + " is damaged (its header is incomplete); run without --resume to start over"), bad.err());

        Run fresh = quant("quantize", "--no-fsync", model.toString(), out.toString(), "Q8_0");
        assertEquals(0, fresh.code(), fresh.err());
        assertTrue(fresh.err().contains("replacing " + tmp.resolve("o.gguf.tmp") + " left by an interrupted run"), fresh.err());
        assertEquals(-1, Files.mismatch(ref, out));
    }
}
