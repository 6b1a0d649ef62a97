package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.tck.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quant transform} and {@code quant quantize --transform}. Exactness is tested in quant-smooth. */
class TransformCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void quantizeWithTransformEqualsTransformThenQuantize() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        Path sq = tmp.resolve("sq.gguf");
        Run t = run("transform", model.toString(), sq.toString(), "smoothquant:alpha=0.5", "--calibration",
                text.toString(), "--calibration-ctx", "32", "--calibration-chunks", "3", "-t", "1");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("transformed ") && Files.isRegularFile(sq), t.out());

        Path a = tmp.resolve("a.gguf");
        Path b = tmp.resolve("b.gguf");
        assertEquals(0, run("quantize", "-q", sq.toString(), a.toString(), "Q8_0", "1").code());
        Run q = run("quantize", "-q", "--transform", "smoothquant", "--calibration", text.toString(),
                "--calibration-ctx", "32", "--calibration-chunks", "3", model.toString(), b.toString(), "Q8_0", "1");
        assertEquals(0, q.code(), q.err());
        // calibration is bit-reproducible, so the two routes give the same file
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().contains(".tmp")), "temp files removed");
        }
        // and the transform changed something: the plain Q8_0 differs
        Path c = tmp.resolve("c.gguf");
        assertEquals(0, run("quantize", "-q", model.toString(), c.toString(), "Q8_0", "1").code());
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void missingCalibrationAndBadAlphaAreClearErrors() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Run r = run("transform", model.toString(), tmp.resolve("x.gguf").toString(), "smoothquant");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--calibration"), r.err());
        Run bad = run("transform", model.toString(), tmp.resolve("x.gguf").toString(), "smoothquant:alpha=2",
                "--calibration", SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt").toString());
        assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().contains("alpha"), bad.err());
        Run unknown = run("transform", model.toString(), tmp.resolve("x.gguf").toString(), "smoothqant");
        assertTrue(unknown.err().contains("smoothquant"), "suggests the installed name: " + unknown.err());
        assertFalse(Files.exists(tmp.resolve("x.gguf")));
    }

    /** The GGUF records the imatrix the user gave, not the rescaled temporary one the transform made. */
    @Test
    void quantizeWithTransformRecordsTheUsersImatrix() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Path imatrix = SharedData.require("reference/stories260K-imatrix.gguf");
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        Path out = tmp.resolve("q.gguf");
        Run q = run("quantize", "-q", "--transform", "smoothquant", "--calibration", text.toString(),
                "--calibration-ctx", "32", "--calibration-chunks", "2", "--imatrix", imatrix.toString(),
                model.toString(), out.toString(), "Q4_0", "1");
        assertEquals(0, q.code(), q.err());
        try (var r = dev.quant4j.api.registry.QuantRegistry.load(getClass().getClassLoader()).format("gguf").open(out)) {
            assertEquals(imatrix.toString(), r.metadata().getString("quantize.imatrix.file").orElseThrow());
        }
    }

    /** awq searches against the planned quantizers: quantize --transform plans them, transform needs --target. */
    @Test
    void awqNeedsTheTargetTypeAndChangesTheQuantizedFile() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        String[] cal = {"--calibration", text.toString(), "--calibration-ctx", "32", "--calibration-chunks", "3"};
        Run none = run(concat(new String[] {"transform", model.toString(), tmp.resolve("x.gguf").toString(), "awq"}, cal));
        assertEquals(ExitCodes.USAGE, none.code(), none.err());
        assertTrue(none.err().contains("--target"), none.err());

        Path awq = tmp.resolve("awq.gguf");
        Run t = run(concat(new String[] {"transform", model.toString(), awq.toString(), "awq:grid=4", "--target", "Q4_0",
                "-t", "1"}, cal));
        assertEquals(0, t.code(), t.err());
        Path a = tmp.resolve("a.gguf");
        Path b = tmp.resolve("b.gguf");
        Path plain = tmp.resolve("plain.gguf");
        assertEquals(0, run("quantize", "-q", awq.toString(), a.toString(), "Q4_0", "1").code());
        Run q = run(concat(new String[] {"quantize", "-q", "--transform", "awq:grid=4"}, cal, new String[] {
                model.toString(), b.toString(), "Q4_0", "1"}));
        assertEquals(0, q.code(), q.err());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(0, run("quantize", "-q", model.toString(), plain.toString(), "Q4_0", "1").code());
        assertFalse(Arrays.equals(Files.readAllBytes(b), Files.readAllBytes(plain)), "awq scaled something");
    }

    /**
     * rotate mixes the input channels of every reader, so an imatrix of the original model cannot be rescaled:
     * refused without calibration text, collected again on the rotated model with it (equal to what
     * {@code quant imatrix} collects on the written rotated model), and both routes quantize the same tensors.
     */
    @Test
    void rotateRefusesAStaleImatrixAndCollectsItAgainFromCalibration() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Path imatrix = SharedData.require("reference/stories260K-imatrix.gguf");
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        String[] cal = {"--calibration", text.toString(), "--calibration-ctx", "32", "--calibration-chunks", "3"};
        Run stale = run("transform", model.toString(), tmp.resolve("x.gguf").toString(), "rotate", "--imatrix",
                imatrix.toString(), "--imatrix-out", tmp.resolve("y.gguf").toString());
        assertEquals(ExitCodes.USAGE, stale.code(), stale.err());
        assertTrue(stale.err().contains("cannot be rescaled") && stale.err().contains("--calibration"), stale.err());
        assertFalse(Files.exists(tmp.resolve("x.gguf")));

        Path rot = tmp.resolve("rot.gguf");
        Path again = tmp.resolve("again.gguf");
        Run t = run(concat(new String[] {"transform", model.toString(), rot.toString(), "rotate:seed=2", "--imatrix",
                imatrix.toString(), "--imatrix-out", again.toString(), "-t", "1"}, cal));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("collected again on the transformed model"), t.out());
        Path direct = tmp.resolve("direct.gguf");
        Run im = run("imatrix", "-m", rot.toString(), "-f", text.toString(), "-o", direct.toString(), "-c", "32",
                "--chunks", "3", "--no-ppl", "-t", "1");
        assertEquals(0, im.code(), im.err());
        var registry = dev.quant4j.api.registry.QuantRegistry.load(getClass().getClassLoader());
        var x = dev.quant4j.eval.imatrix.ImatrixFiles.load(again, registry).entries();
        var y = dev.quant4j.eval.imatrix.ImatrixFiles.load(direct, registry).entries();
        assertEquals(y.keySet(), x.keySet());
        assertTrue(x.containsKey("blk.0.attn_q.weight"));
        for (String k : x.keySet()) {
            assertArrayEquals(y.get(k).sums(), x.get(k).sums(), k);
        }

        Path a = tmp.resolve("a.gguf");
        Path b = tmp.resolve("b.gguf");
        assertEquals(0, run("quantize", "-q", "--imatrix", again.toString(), rot.toString(), a.toString(), "Q4_0", "1")
                .code());
        Run q = run(concat(new String[] {"quantize", "-q", "--transform", "rotate:seed=2", "--imatrix",
                imatrix.toString()}, cal, new String[] {model.toString(), b.toString(), "Q4_0", "1"}));
        assertEquals(0, q.code(), q.err());
        assertTrue(q.err().contains("collected again on the transformed model"), q.err());
        var gguf = registry.format("gguf");
        try (var ra = gguf.open(a); var rb = gguf.open(b)) {
            assertTrue(rb.metadata().getString("quantize.imatrix.file").orElseThrow().startsWith("collected on the"));
            assertEquals(ra.tensors().size(), rb.tensors().size());
            for (int i = 0; i < ra.tensors().size(); i++) {
                assertEquals(ra.tensors().get(i).name(), rb.tensors().get(i).name());
                assertArrayEquals(ra.view(ra.tensors().get(i)).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        rb.view(rb.tensors().get(i)).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        ra.tensors().get(i).name());
            }
        }
    }

    static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
