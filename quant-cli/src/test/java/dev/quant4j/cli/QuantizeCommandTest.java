package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import dev.quant4j.tck.SharedData;
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

/** {@code quant quantize} as a user runs it: arguments, dry run, report, overrides, imatrix, errors. */
class QuantizeCommandTest {
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = new DemoModel(2, 256, 512, 4, 2, 512, 3)
                .write(QuantRegistry.load(QuantizeCommandTest.class.getClassLoader()), dir.resolve("m-f16.gguf"));
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
    void dryRunPrintsThePlanAndWritesNothing(@TempDir Path tmp) throws IOException {
        Run r = quant("quantize", "--dry-run", model.toString(), tmp.resolve("o.gguf").toString(), "q4_k_m");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("blk.1.ffn_down.weight") && r.out().contains("q6_k"), r.out());
        assertTrue(r.out().contains("[dry run]") && r.out().contains("peak mem"), r.out());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void reportJsonHasEveryTensorWithSizesAndError(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o.gguf");
        Path report = tmp.resolve("r.json");
        Run r = quant("quantize", "-v", "--report", report.toString(), "-t", "2", model.toString(), out.toString(), "Q8_0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("[1/"), "plain per-tensor progress lines when stderr is not a terminal: " + r.err());
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertEquals("quant4j-report/1", j.get("schema").asText());
        assertEquals(out.toString(), j.get("outputs").get(0).asText());
        JsonNode tensors = j.get("tensors");
        assertEquals(2 * 9 + 3, tensors.size());
        long sum = 0;
        for (JsonNode t : tensors) {
            sum += t.get("bytes").asLong();
            if (t.get("type").asText().equals("q8_0")) {
                assertTrue(t.get("relative_rmse").asDouble() > 0 && t.get("relative_rmse").asDouble() < 0.02, t.toString());
                assertEquals(8.5, t.get("bits_per_weight").asDouble(), 1e-9);
            } else {
                assertTrue(t.get("rmse").isNull(), "copied tensors have no error: " + t);
            }
        }
        assertEquals(sum, j.get("tensor_data_bytes").asLong());
        assertEquals(Files.size(out), j.get("output_bytes").asLong(), "the file, header included");
        assertTrue(Files.size(out) > sum, "file holds the data plus header");
    }

    @Test
    void tensorTypeOverridesFirstMatchWins(@TempDir Path tmp) throws IOException {
        Path report = tmp.resolve("r.json");
        Run r = quant("quantize", "--quiet", "--report", report.toString(), "--tensor-type", "blk\\.0\\.ffn_down=q8_0",
                "--tensor-type", "ffn_down=q5_k", "--output-tensor-type", "f16", model.toString(),
                tmp.resolve("o.gguf").toString(), "Q4_K_M");
        assertEquals(0, r.code(), r.err());
        JsonNode t = new ObjectMapper().readTree(report.toFile()).get("tensors");
        assertEquals("q8_0", type(t, "blk.0.ffn_down.weight"));
        assertEquals("q5_k", type(t, "blk.1.ffn_down.weight"));
        assertEquals("f16", type(t, "output.weight"));
    }

    private static String type(JsonNode tensors, String name) {
        for (JsonNode t : tensors) {
            if (t.get("name").asText().equals(name)) {
                return t.get("type").asText();
            }
        }
        throw new AssertionError(name + " not in report");
    }

    @Test
    void imatrixTypesRefuseWithoutOneNamingTheTensor(@TempDir Path tmp) {
        Run r = quant("quantize", model.toString(), tmp.resolve("o.gguf").toString(), "IQ2_XXS");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("quant: ") && r.err().contains("imatrix"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void imatrixIsReadAndRecorded(@TempDir Path tmp) throws IOException {
        Path in = SharedData.require("models/stories260K.gguf");
        Path imatrix = SharedData.require("reference/stories260K-imatrix.dat");
        Path out = tmp.resolve("o.gguf");
        Run r = quant("quantize", "--quiet", "--imatrix", imatrix.toString(), in.toString(), out.toString(), "Q4_K_M");
        assertEquals(0, r.code(), r.err());
        Run inspect = quant("inspect", out.toString());
        assertTrue(inspect.out().contains("quantize.imatrix.entries_count"), inspect.out());
    }

    @Test
    void unknownTypeIsAUsageErrorListingTheChoices(@TempDir Path tmp) {
        Run r = quant("quantize", model.toString(), tmp.resolve("o.gguf").toString(), "Q4_K_Q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("Q4_K_M"), r.err());
    }

    @Test
    void missingInputIsAnIoError(@TempDir Path tmp) {
        Run r = quant("quantize", tmp.resolve("nope.gguf").toString(), tmp.resolve("o.gguf").toString(), "Q8_0");
        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().contains("nope.gguf: no such file"), r.err());
    }

    @Test
    void outputDefaultsBesideTheInputLikeLlamaQuantize(@TempDir Path tmp) throws IOException {
        Path in = Files.copy(model, tmp.resolve("m.gguf"));
        Run r = quant("quantize", "--quiet", in.toString(), "q8_0", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(tmp.resolve("ggml-model-Q8_0.gguf")), List.of(tmp.toFile().list()).toString());
    }

    @Test
    void splitOutputNamesShardsLikeLlamaCpp(@TempDir Path tmp) throws IOException {
        Run r = quant("quantize", "--quiet", "--split-max-tensors", "8", model.toString(), tmp.resolve("s.gguf").toString(), "Q8_0");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(tmp.resolve("s-00001-of-00003.gguf")), List.of(tmp.toFile().list()).toString());
        Run inspect = quant("inspect", tmp.resolve("s-00001-of-00003.gguf").toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("21 tensors"), inspect.out());
    }
}
