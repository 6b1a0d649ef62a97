package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.engine.DemoModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quant quantize --planner importance --target-bpw X IN OUT}, its dry run and the tensor-type-file round trip. */
class ImportanceQuantizeCommandTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImportanceQuantizeCommandTest.class.getClassLoader());

    private record Run(int code, String out, String err) {
    }

    private static Run quant(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static Map<String, String> types(Path file) throws IOException {
        try (ModelReader r = REGISTRY.format("gguf").open(file)) {
            Map<String, String> m = new TreeMap<>();
            for (TensorInfo t : r.tensors()) {
                m.put(t.name(), t.type().lowerName());
            }
            return m;
        }
    }

    @Test
    void plansWritesAndReimportsThroughTensorTypeFile(@TempDir Path tmp) throws IOException {
        Path model = new DemoModel(2, 256, 512, 4, 2, 512, 7).write(REGISTRY, tmp.resolve("m-f16.gguf"));
        Path types = tmp.resolve("types.txt");
        String cache = "cache-dir=" + tmp.resolve("cache");
        Run dry = quant("quantize", "--planner", "importance", "--target-bpw", "4.0", "--dry-run", "-q",
                "--planner-option", cache, model.toString(), tmp.resolve("x.gguf").toString());
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("frontier (estimated cost at ±0.25 bpw)"), dry.out());
        assertTrue(dry.out().contains("importance balanced: cost"), dry.out());
        Path out = tmp.resolve("out.gguf");
        Run run = quant("quantize", "--target-bpw", "4.0", "-q", "--planner-option", cache,
                "--planner-option", "export=" + types, model.toString(), out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("0 round trips measured"), "the dry run's measurements are reused: " + run.out());
        String fileType = run.out().lines().filter(l -> l.startsWith("tensor types written"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1, l.length() - 1)).findFirst().orElseThrow();
        Path again = tmp.resolve("again.gguf");
        Run imported = quant("quantize", "-q", "--tensor-type-file", types.toString(), model.toString(), again.toString(),
                fileType);
        assertEquals(0, imported.code(), imported.err());
        assertEquals(types(out), types(again));
        assertEquals(-1, Files.mismatch(out, again), "same plan, same bytes");
    }

    @Test
    void refusesAPlanWithoutTarget(@TempDir Path tmp) throws IOException {
        Path model = new DemoModel(1, 256, 512, 4, 2, 512, 7).write(REGISTRY, tmp.resolve("m-f16.gguf"));
        Run r = quant("quantize", "--planner", "importance", model.toString(), tmp.resolve("o.gguf").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("target-bpw"), r.err());
    }

    @Test
    void blendMeasuresThroughTheCalibrationTextAndReusesItsCache(@TempDir Path tmp) {
        Path model = dev.quant4j.tck.SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path text = dev.quant4j.tck.SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        String[] args = {"quantize", "--target-bpw", "5", "--dry-run", "-q", "--planner-option", "estimator=blend",
            "--planner-option", "candidates=q4_k,q6_k", "--planner-option", "kld-types=q4_k",
            "--planner-option", "cache-dir=" + tmp.resolve("cache"), "--calibration", text.toString(),
            "--calibration-ctx", "64", "--calibration-chunks", "2", model.toString(), tmp.resolve("x.gguf").toString()};
        Run first = quant(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("estimator blend: 44 KLD points measured through the forward pass, 0 read"),
                first.out());
        assertTrue(first.out().contains("(measured, scale ") && first.out().contains("(fitted, scale "), first.out());
        Run again = quant(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("estimator blend: 0 KLD points measured through the forward pass, 44 read"),
                again.out());
    }

    @Test
    void kldWithoutCalibrationTextSaysWhatIsMissing(@TempDir Path tmp) throws IOException {
        Path model = new DemoModel(1, 256, 512, 4, 2, 512, 7).write(REGISTRY, tmp.resolve("m-f16.gguf"));
        Run r = quant("quantize", "--target-bpw", "4", "--planner-option", "estimator=kld", "--planner-option",
                "cache-dir=none", "--dry-run", model.toString(), tmp.resolve("o.gguf").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--calibration TEXT"), r.err());
    }
}
