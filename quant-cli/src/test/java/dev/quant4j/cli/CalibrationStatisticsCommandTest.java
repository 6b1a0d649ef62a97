package dev.quant4j.cli;

import static dev.quant4j.cli.TransformCommandTest.concat;
import static dev.quant4j.cli.TransformCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.cli.TransformCommandTest.Run;
import dev.quant4j.tck.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --save-calibration FILE} and {@code --calibration FILE} (a saved statistics file) for {@code quant transform}
 * and {@code quant quantize --transform}; {@code --calibration-memory} splitting the calibration into passes.
 */
class CalibrationStatisticsCommandTest {
    @TempDir
    Path tmp;

    private static final String[] CHUNKS = {"--calibration-ctx", "32", "--calibration-chunks", "3", "-t", "1"};

    @Test
    void outputFromASavedFileEqualsOutputFromTextByteForByte() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        Path stats = tmp.resolve("stats.q4jcal");
        String[] awq = {"transform", model.toString(), null, "awq:grid=4", "--target", "Q4_0"};
        Path fromText = tmp.resolve("text.gguf");
        Path saving = tmp.resolve("saving.gguf");
        Path fromFile = tmp.resolve("file.gguf");
        Path passes = tmp.resolve("passes.gguf");
        awq[2] = fromText.toString();
        assertEquals(0, run(concat(awq, CHUNKS, new String[] {"--calibration", text.toString()})).code());
        awq[2] = saving.toString();
        Run s = run(concat(awq, CHUNKS, new String[] {"--calibration", text.toString(), "--save-calibration", stats.toString()}));
        assertEquals(0, s.code(), s.err());
        awq[2] = fromFile.toString();
        Run f = run(concat(awq, new String[] {"--calibration", stats.toString(), "-t", "1"}));
        assertEquals(0, f.code(), f.err());
        // stories260K's second moments take 1.7 MiB: a 1 MiB limit runs two passes through a temporary file
        awq[2] = passes.toString();
        Run p = run(concat(awq, CHUNKS, new String[] {"--calibration", text.toString(), "--calibration-memory", "1"}));
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains(", 2 calibration passes)"), p.out());
        assertFalse(s.out().contains("calibration passes"), s.out());
        byte[] want = Files.readAllBytes(fromText);
        assertArrayEquals(want, Files.readAllBytes(saving));
        assertArrayEquals(want, Files.readAllBytes(fromFile));
        assertArrayEquals(want, Files.readAllBytes(passes));
        assertFalse(Arrays.equals(want, Files.readAllBytes(model)));
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(x -> x.getFileName().toString().endsWith(".tmp")), "temp files removed");
        }

        // quant quantize --transform: the saved file gives the text's quantized file
        Path qText = tmp.resolve("q-text.gguf");
        Path qFile = tmp.resolve("q-file.gguf");
        Run a = run(concat(new String[] {"quantize", "-q", "--transform", "awq:grid=4", "--calibration", text.toString()},
                CHUNKS, new String[] {model.toString(), qText.toString(), "Q4_0", "1"}));
        assertEquals(0, a.code(), a.err());
        Run b = run("quantize", "-q", "--transform", "awq:grid=4", "--calibration", stats.toString(), model.toString(),
                qFile.toString(), "Q4_0", "1");
        assertEquals(0, b.code(), b.err());
        assertArrayEquals(Files.readAllBytes(qText), Files.readAllBytes(qFile));
    }

    @Test
    void mismatchedTruncatedOrInsufficientFilesAreRefusedByName() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Path other = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        Path stats = tmp.resolve("sq.q4jcal");
        Run s = run(concat(new String[] {"transform", model.toString(), tmp.resolve("sq.gguf").toString(), "smoothquant",
                "--calibration", text.toString(), "--save-calibration", stats.toString()}, CHUNKS));
        assertEquals(0, s.code(), s.err());

        Run wrongModel = run("transform", other.toString(), tmp.resolve("x.gguf").toString(), "smoothquant",
                "--calibration", stats.toString());
        assertEquals(ExitCodes.USAGE, wrongModel.code(), wrongModel.err());
        assertTrue(wrongModel.err().contains(stats.toString()) && wrongModel.err().contains("another model"),
                wrongModel.err());

        // smoothquant collects no second moments; awq needs them
        Run noMoments = run("transform", model.toString(), tmp.resolve("x.gguf").toString(), "awq", "--target", "Q4_0",
                "--calibration", stats.toString());
        assertNotEquals(0, noMoments.code());
        assertTrue(noMoments.err().contains(stats.toString()) && noMoments.err().contains("SECOND_MOMENTS"),
                noMoments.err());

        byte[] full = Files.readAllBytes(stats);
        Path cut = tmp.resolve("cut.q4jcal");
        Files.write(cut, Arrays.copyOf(full, full.length - 2)); // the end marker is missing its last bytes
        Run truncated = run("transform", model.toString(), tmp.resolve("x.gguf").toString(), "smoothquant",
                "--calibration", cut.toString());
        assertEquals(ExitCodes.BAD_INPUT, truncated.code(), truncated.err());
        assertTrue(truncated.err().contains(cut.toString()) && truncated.err().contains("byte " + (full.length - 4))
                && truncated.err().contains("truncated"), truncated.err());
        assertFalse(truncated.err().contains("\tat "), "no stack trace: " + truncated.err());

        // only the transforms read a statistics file
        Run gptq = run("quantize", "-q", "--gptq", "--calibration", stats.toString(), model.toString(),
                tmp.resolve("g.gguf").toString(), "Q4_0", "1");
        assertEquals(ExitCodes.USAGE, gptq.code(), gptq.err());
        assertTrue(gptq.err().contains("--gptq needs the calibration text"), gptq.err());
        Run nothing = run("transform", model.toString(), tmp.resolve("x.gguf").toString(), "rotate",
                "--calibration", text.toString(), "--save-calibration", tmp.resolve("r.q4jcal").toString());
        assertEquals(ExitCodes.USAGE, nothing.code(), nothing.err());
        assertTrue(nothing.err().contains("nothing to save"), nothing.err());
        assertFalse(Files.exists(tmp.resolve("x.gguf")));
    }
}
