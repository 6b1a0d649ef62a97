package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quant quantize --gptq} end to end on the trained tiny-shakespeare model: calibrate, cache, quantize. */
class GptqQuantizeCommandTest {
    private static Path trained(String file) {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve("reference/trained").resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is absent (../shared reference data)");
        return p;
    }

    @Test
    void calibratesOnceAndWritesGptqBytes(@TempDir Path tmp) throws IOException {
        Path model = trained("tiny-shakespeare-256-f16.gguf");
        Path text = trained("tiny-shakespeare-256-train.txt");
        Path rtn = tmp.resolve("rtn.gguf");
        Path gptq = tmp.resolve("gptq.gguf");
        Path again = tmp.resolve("again.gguf");
        var r = QuantizeCommandTest.quant("quantize", "-q", model.toString(), rtn.toString(), "Q4_0", "2");
        assertEquals(0, r.code(), r.err());
        String[] gptqArgs = {"quantize", "-q", "--gptq", "--calibration", text.toString(), "--gptq-ctx", "64",
                "--gptq-chunks", "2", "--gptq-hessians", tmp.resolve("h.hessians").toString(), model.toString()};
        r = QuantizeCommandTest.quant(concat(gptqArgs, gptq.toString(), "Q4_0", "2"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(tmp.resolve("h.hessians")));
        assertEquals(Files.size(rtn), Files.size(gptq), "same types, same size");
        assertFalse(Arrays.equals(Files.readAllBytes(rtn), Files.readAllBytes(gptq)), "GPTQ changed the blocks");
        r = QuantizeCommandTest.quant(concat(gptqArgs, again.toString(), "Q4_0", "2"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("gptq: reusing"), r.err());
        assertTrue(Arrays.equals(Files.readAllBytes(gptq), Files.readAllBytes(again)), "deterministic");
    }

    @Test
    void optionsWithoutEachOtherAreUsageErrors(@TempDir Path tmp) {
        Path model = trained("tiny-shakespeare-256-f16.gguf");
        var r = QuantizeCommandTest.quant("quantize", "--gptq", model.toString(), tmp.resolve("o.gguf").toString(), "Q4_0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--gptq needs --calibration"), r.err());
        r = QuantizeCommandTest.quant("quantize", "--calibration", model.toString(), model.toString(),
                tmp.resolve("o.gguf").toString(), "Q4_0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--calibration is read by --gptq, --transform"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
