package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.cli.QuantizeCommandTest.Run;
import dev.quant4j.engine.DemoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when something is wrong: the message text and the documented exit code. */
class CliMessagesTest {
    private static Path model;

    @BeforeAll
    static void writeModels(@TempDir Path dir) throws IOException {
        QuantRegistry registry = QuantRegistry.load(CliMessagesTest.class.getClassLoader());
        model = new DemoModel(2, 256, 512, 4, 2, 512, 3).write(registry, dir.resolve("m-f16.gguf"));
    }

    private static Run quant(String... args) {
        return QuantizeCommandTest.quant(args);
    }

    @Test
    void usageErrorsExit2WithPicocliMessage() {
        for (var c : List.of(
                new String[][] {{}, {"Missing required subcommand"}},
                new String[][] {{"--bogus"}, {"Unknown option: '--bogus'"}},
                new String[][] {{"frob"}, {"Unmatched argument at index 0: 'frob'"}},
                new String[][] {{"quantize"}, {"requires at least 2 values"}},
                new String[][] {{"quantize", "--threads"}, {"Missing required parameter for option '--threads'"}},
                new String[][] {{"inspect"}, {"Missing required parameter: 'FILE'"}},
                new String[][] {{"inspect", "a", "b"}, {"Unmatched argument"}})) {
            Run r = quant(c[0]);
            assertEquals(2, r.code(), String.join(" ", c[0]) + ": " + r.err());
            assertTrue(r.err().contains(c[1][0]), r.err());
        }
    }

    @Test
    void outputInAMissingDirectorySaysSoBeforeAnyWork(@TempDir Path tmp) {
        Path nope = tmp.resolve("nope");
        Run r = quant("quantize", "-v", model.toString(), nope.resolve("out.gguf").toString(), "Q8_0");
        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().contains("cannot create out.gguf.tmp: directory " + nope + " does not exist"), r.err());
        assertFalse(r.err().contains("[1/"), "nothing was quantized: " + r.err());
    }

    @Test
    void outputInAReadOnlyDirectoryIsPermissionDenied(@TempDir Path tmp) throws IOException {
        Path ro = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(ro), "running as root: a read-only directory is still writable; skipping");
            Run r = quant("quantize", model.toString(), ro.resolve("out.gguf").toString(), "Q8_0");
            assertEquals(4, r.code(), r.err());
            assertTrue(r.err().contains("cannot create out.gguf.tmp: permission denied"), r.err());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void directoryAsInputOrOutputIsNamed(@TempDir Path tmp) {
        Run in = quant("quantize", tmp.toString(), tmp.resolve("o.gguf").toString(), "Q8_0");
        assertEquals(4, in.code(), in.err());
        assertTrue(in.err().contains(tmp + ": is a directory"), in.err());
        Run out = quant("quantize", model.toString(), tmp.toString(), "Q8_0");
        assertEquals(4, out.code(), out.err());
        assertTrue(out.err().contains("cannot write " + tmp + ": is a directory"), out.err());
        Run inspect = quant("inspect", tmp.toString());
        assertEquals(4, inspect.code(), inspect.err());
        assertTrue(inspect.err().contains("is a directory"), inspect.err());
    }

    @Test
    void reportPathIsCheckedBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o.gguf");
        Run r = quant("quantize", "--report", tmp.resolve("no/r.json").toString(), model.toString(), out.toString(), "Q8_0");
        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().contains("cannot create r.json.tmp: directory " + tmp.resolve("no") + " does not exist"), r.err());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no output written");
        }
    }

    @Test
    void quietHidesProgressButNotWarnings(@TempDir Path tmp) {
        // a dry run of an imatrix type without one warns that the real run will need it
        Run quiet = quant("quantize", "--quiet", "--dry-run", model.toString(), tmp.resolve("q.gguf").toString(), "IQ2_XXS");
        assertEquals(0, quiet.code(), quiet.err());
        assertTrue(quiet.err().contains("warning: ") && quiet.err().contains("will require an imatrix"), quiet.err());
        assertFalse(quiet.err().contains("[1/"), quiet.err());
        Run normal = quant("quantize", model.toString(), tmp.resolve("n.gguf").toString(), "Q8_0");
        assertFalse(normal.err().contains("[1/"), "per-tensor lines only with -v: " + normal.err());
        Run verbose = quant("quantize", "-v", model.toString(), tmp.resolve("v.gguf").toString(), "Q8_0");
        assertTrue(verbose.err().contains("[1/"), verbose.err());
    }

    @Test
    void unknownTypeListsFileTypesQuantizersAndPlanners(@TempDir Path tmp) {
        Run r = quant("quantize", model.toString(), tmp.resolve("o.gguf").toString(), "NOPE");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unknown TYPE 'NOPE'"), r.err());
        assertTrue(r.err().contains("llama.cpp file types: ") && r.err().contains("Q4_K_M"), r.err());
        assertTrue(r.err().contains("installed quantizers: ") && r.err().contains("int8"), r.err());
        assertTrue(r.err().contains("planners: ") && r.err().contains("bitnet-absmean"), r.err());
    }

    @Test
    void ownLayoutQuantizersAreRefusedForGgufNamingTheFormatThatCarriesThem(@TempDir Path tmp) {
        for (String type : List.of("int8", "int4", "fp8_e4m3", "fp8_e5m2")) {
            Run r = quant("quantize", model.toString(), tmp.resolve("o.gguf").toString(), type);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("quantizer '" + type + "' writes its own layout"), r.err());
            assertTrue(r.err().contains("GGUF files cannot carry") && r.err().contains("safetensors"), r.err());
        }
    }

    @Test
    void defaultOutputNameIsLlamaQuantizes(@TempDir Path tmp) throws IOException {
        Path in = Files.copy(model, tmp.resolve("m.gguf"));
        Run r = quant("quantize", "--quiet", in.toString(), "q8_0");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(tmp.resolve("ggml-model-Q8_0.gguf")), List.of(tmp.toFile().list()).toString());
    }

    @Test
    void reportOutputBytesIsTheFileSize(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o.gguf");
        Path report = tmp.resolve("r.json");
        Run r = quant("quantize", "--quiet", "--report", report.toString(), model.toString(), out.toString(), "Q8_0");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertEquals(Files.size(out), j.get("output_bytes").asLong());
        long sum = 0;
        for (JsonNode t : j.get("tensors")) {
            sum += t.get("bytes").asLong();
        }
        assertEquals(sum, j.get("tensor_data_bytes").asLong());
    }

    @Test
    void versionExplainsTheIncubatorWarning() {
        Run r = quant("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Using incubator modules") && r.out().contains("Vector API"), r.out());
    }
}
