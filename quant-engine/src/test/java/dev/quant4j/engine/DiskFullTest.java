package dev.quant4j.engine;

import dev.quant4j.tck.SmallFilesystem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.NoSpaceException;
import dev.quant4j.api.registry.QuantRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full device, on a real small file system (a tmpfs of 1 or 6 MB mounted by the test): refused up front when the
 * computed output cannot fit, and reported plainly when the device fills during the write — with nothing left
 * behind, or with the temp file and journal kept for a resume.
 */
class DiskFullTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(DiskFullTest.class.getClassLoader());
    /** Q8_0 output about 3.6 MB: fits the 6 MB device until the test fills it. */
    private static final DemoModel MODEL = new DemoModel(4, 256, 512, 4, 2, 2048, 3);
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = MODEL.write(REGISTRY, dir.resolve("m-f16.gguf"));
    }

    private static QuantizeJob.Builder job(Path out, String type) {
        return QuantizeJob.builder(REGISTRY).input(model).output(out).threads(2)
                .planner("llama-cpp", FileTypes.plannerOptions(REGISTRY, type));
    }

    @Test
    void outputLargerThanTheDeviceIsRefusedBeforeWriting(@TempDir Path tmp) throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "1m")) {
            Path out = fs.dir().resolve("out.gguf");
            for (boolean dry : new boolean[] {true, false}) {
                NoSpaceException e = assertThrows(NoSpaceException.class, () -> job(out, "F16").dryRun(dry).build().run());
                assertTrue(e.getMessage().startsWith("no space left on device while writing " + out + " (needed "),
                        e.getMessage());
                assertTrue(e.needed() > 1 << 20 && e.free() <= 1 << 20, e.needed() + " needed, " + e.free() + " free");
                assertEquals(List.of(), list(fs.dir()), "nothing written");
            }
        }
    }

    @Test
    void deviceFillingUpMidRunLeavesNothing(@TempDir Path tmp) throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "6m")) {
            Path out = fs.dir().resolve("out.gguf");
            NoSpaceException e = assertThrows(NoSpaceException.class,
                    () -> job(out, "Q8_0").listener(fillerAfter(fs, 2)).build().run());
            assertTrue(e.getMessage().matches("no space left on device while writing \\Q" + out
                    + "\\E \\(needed \\d+ bytes, \\d+ free\\); the partial output was removed.*"), e.getMessage());
            assertEquals(List.of("filler"), list(fs.dir()), "no .tmp and no journal left");
        }
    }

    @Test
    void resumableRunKeepsItsTempFileAndSaysSo(@TempDir Path tmp) throws Exception {
        Path ref = tmp.resolve("ref.gguf");
        job(ref, "Q8_0").build().run();
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "6m")) {
            Path out = fs.dir().resolve("out.gguf");
            NoSpaceException e = assertThrows(NoSpaceException.class,
                    () -> job(out, "Q8_0").resume(true).listener(fillerAfter(fs, 2)).build().run());
            assertTrue(e.getMessage().contains("the partial output " + out + ".tmp and its journal are kept: free some "
                    + "space and run again with --resume"), e.getMessage());
            assertEquals(List.of("filler", "out.gguf.tmp", "out.gguf.tmp.journal"), list(fs.dir()));
            Files.delete(fs.dir().resolve("filler"));
            job(out, "Q8_0").resume(true).build().run();
            assertEquals(-1, Files.mismatch(ref, out), "the resumed output equals an uninterrupted run");
        }
    }

    /** Fills the device once tensor {@code index} is done. */
    private static ProgressListener fillerAfter(SmallFilesystem fs, int index) {
        return new ProgressListener() {
            @Override
            public void tensorDone(int i, int count, TensorResult result, long inputBytesDone) {
                if (i == index) {
                    try {
                        fs.fill();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
