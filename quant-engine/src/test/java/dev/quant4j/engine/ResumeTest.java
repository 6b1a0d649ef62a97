package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume in-process: a resumable run stopped after some tensors keeps OUT.tmp and its journal, and a second
 * run with resume writes only the rest and produces the uninterrupted run's bytes. (The SIGKILL harness in
 * quant-cli does the same to a child process at random moments.)
 */
class ResumeTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ResumeTest.class.getClassLoader());
    private static final DemoModel SMALL = new DemoModel(2, 256, 512, 4, 2, 512, 11);
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = SMALL.write(REGISTRY, dir.resolve("small-f16.gguf"));
    }

    private static QuantizeJob.Builder job(Path out, String type) {
        return QuantizeJob.builder(REGISTRY).input(model).output(out).threads(2)
                .planner("llama-cpp", FileTypes.plannerOptions(REGISTRY, type));
    }

    /** Runs resumably and cancels the job once {@code after} tensors are done; returns the warnings. */
    private static void interruptAfter(QuantizeJob.Builder b, int after) {
        QuantizeJob[] self = new QuantizeJob[1];
        self[0] = b.resume(true).listener(new ProgressListener() {
            @Override
            public void tensorDone(int index, int count, TensorResult result, long inputBytesDone) {
                if (index + 1 == after) {
                    self[0].cancel();
                }
            }
        }).build();
        assertThrows(CancellationException.class, self[0]::run);
    }

    private static List<String> warnings(QuantizeJob.Builder b) throws IOException {
        List<String> w = new ArrayList<>();
        b.listener(new ProgressListener() {
            @Override
            public void warning(String message) {
                w.add(message);
            }
        }).build().run();
        return w;
    }

    @Test
    void resumedRunIsByteIdenticalAndSkipsFinishedTensors(@TempDir Path tmp) throws IOException {
        Path whole = tmp.resolve("whole.gguf");
        QuantizeReport ref = job(whole, "Q4_K_M").build().run();
        Path out = tmp.resolve("out.gguf");
        interruptAfter(job(out, "Q4_K_M"), 7);
        assertFalse(Files.exists(out));
        assertTrue(Files.exists(tmp.resolve("out.gguf.tmp")), "a resumable run keeps its temp file");
        assertTrue(Files.exists(tmp.resolve("out.gguf.tmp.journal")), "and its journal");

        List<QuantizeReport> report = new ArrayList<>();
        List<String> w = new ArrayList<>();
        report.add(job(out, "Q4_K_M").threads(1).resume(true).listener(new ProgressListener() {
            @Override
            public void warning(String message) {
                w.add(message);
            }
        }).build().run());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(out));
        assertTrue(w.stream().anyMatch(m -> m.contains(": 7 of " + SMALL.tensors().size() + " tensors already written")), w.toString());
        assertFalse(Files.exists(tmp.resolve("out.gguf.tmp")));
        assertFalse(Files.exists(tmp.resolve("out.gguf.tmp.journal")), "the journal goes with the commit");
        // the error measured by the interrupted run is carried over from the journal
        for (int i = 0; i < ref.tensors().size(); i++) {
            assertEquals(ref.tensors().get(i).rmse(), report.getFirst().tensors().get(i).rmse(), 0.0,
                    ref.tensors().get(i).name());
        }
    }

    @Test
    void damagedFinishedTensorIsWrittenAgain(@TempDir Path tmp) throws IOException {
        Path whole = tmp.resolve("whole.gguf");
        job(whole, "Q8_0").build().run();
        Path out = tmp.resolve("out.gguf");
        interruptAfter(job(out, "Q8_0"), 5);
        Path temp = tmp.resolve("out.gguf.tmp");
        // flip bytes in the middle of the temp file's data, where the finished tensors are
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            long size = ch.size();
            for (long p = size / 16; p < size; p += size / 16) {
                ch.write(ByteBuffer.wrap(new byte[] {0x5a, 0x5a, 0x5a}), p);
            }
        }
        List<String> w = warnings(job(out, "Q8_0").resume(true));
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(out));
        assertTrue(w.stream().anyMatch(m -> m.contains("failed their checksum and are written again")), w.toString());
    }

    @Test
    void tornJournalLineIsIgnored(@TempDir Path tmp) throws IOException {
        Path whole = tmp.resolve("whole.gguf");
        job(whole, "Q8_0").build().run();
        Path out = tmp.resolve("out.gguf");
        interruptAfter(job(out, "Q8_0"), 4);
        Path journal = tmp.resolve("out.gguf.tmp.journal");
        Files.writeString(journal, "done\t4\tblk.1.attn_q.weight\t1234", StandardOpenOption.APPEND);
        List<String> w = warnings(job(out, "Q8_0").resume(true));
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(out));
        assertTrue(w.stream().anyMatch(m -> m.contains(": 4 of ")), w.toString());
    }

    @Test
    void journalOfOtherOptionsIsRefusedWithTheReason(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out.gguf");
        interruptAfter(job(out, "Q8_0"), 3);
        QuantException e = assertThrows(QuantException.class, () -> job(out, "Q4_K_M").resume(true).build().run());
        assertTrue(e.getMessage().startsWith("cannot resume " + out + ": options differ"), e.getMessage());
        assertTrue(e.getMessage().contains("file-type=Q8_0") && e.getMessage().contains("file-type=Q4_K_M"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("out.gguf.tmp")), "a refused resume touches nothing");
    }

    @Test
    void journalOfChangedInputIsRefusedWithTheReason(@TempDir Path tmp) throws IOException {
        Path copy = Files.copy(model, tmp.resolve("in.gguf"));
        Path out = tmp.resolve("out.gguf");
        interruptAfter(QuantizeJob.builder(REGISTRY).input(copy).output(out)
                .planner("llama-cpp", FileTypes.plannerOptions(REGISTRY, "Q8_0")), 3);
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
        }
        QuantException e = assertThrows(QuantException.class, () -> QuantizeJob.builder(REGISTRY).input(copy).output(out)
                .planner("llama-cpp", FileTypes.plannerOptions(REGISTRY, "Q8_0")).resume(true).build().run());
        assertTrue(e.getMessage().contains("input file " + copy.toAbsolutePath() + " changed since the interrupted run (size "),
                e.getMessage());
    }

    @Test
    void staleTempWithoutResumeIsReplacedWithAWarning(@TempDir Path tmp) throws IOException {
        Path whole = tmp.resolve("whole.gguf");
        job(whole, "Q8_0").build().run();
        Path out = tmp.resolve("out.gguf");
        interruptAfter(job(out, "Q4_0"), 3);
        List<String> w = warnings(job(out, "Q8_0"));
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(out));
        assertTrue(w.stream().anyMatch(m -> m.startsWith("replacing " + tmp.resolve("out.gguf.tmp").toAbsolutePath())), w.toString());
    }

    @Test
    void splitOutputResumes(@TempDir Path tmp) throws IOException {
        Path wholeDir = Files.createDirectories(tmp.resolve("a"));
        Path outDir = Files.createDirectories(tmp.resolve("b"));
        WriteOptions split = new WriteOptions(0, 6);
        job(wholeDir.resolve("m.gguf"), "Q4_K_S").writeOptions(split).build().run();
        interruptAfter(job(outDir.resolve("m.gguf"), "Q4_K_S").writeOptions(split), 9);
        job(outDir.resolve("m.gguf"), "Q4_K_S").writeOptions(split).resume(true).build().run();
        List<String> names;
        try (Stream<Path> s = Files.list(wholeDir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(names.size() > 2, names.toString());
        try (Stream<Path> s = Files.list(outDir)) {
            assertEquals(names, s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(wholeDir.resolve(n)), Files.readAllBytes(outDir.resolve(n)), n);
        }
    }

    @Test
    void noFsyncWritesTheSameBytes(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a.gguf");
        Path b = tmp.resolve("b.gguf");
        job(a, "Q6_K").build().run();
        job(b, "Q6_K").sync(false).build().run();
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }
}
