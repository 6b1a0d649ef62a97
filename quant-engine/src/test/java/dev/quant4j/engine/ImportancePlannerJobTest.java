package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The importance planner end to end through QuantizeJob on the trained model of shared/reference/trained. */
class ImportancePlannerJobTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImportancePlannerJobTest.class.getClassLoader());
    private static final String MODEL = "reference/trained/tiny-shakespeare-256-f16.gguf";
    private static final String IMATRIX = "reference/trained/tiny-shakespeare-256-imatrix.gguf";
    /** Measurements shared by the tests that do not test the cache itself (the first one fills it). */
    @TempDir
    static Path shared;

    /** Captures the plan the job made. */
    private static final class Capture implements ProgressListener {
        Plan plan;

        @Override
        public void planned(Plan p, long inputBytes) {
            plan = p;
        }
    }

    private static Plan plan(Map<String, String> options, Path out, boolean dryRun) throws IOException {
        Capture c = new Capture();
        QuantizeJob.builder(REGISTRY).input(SharedData.require(MODEL)).output(out)
                .planner("importance", options).importance(SharedData.require(IMATRIX)).threads(2)
                .dryRun(dryRun).listener(c).build().run();
        return c.plan;
    }

    private static String line(Plan p, String prefix) {
        return p.summary().stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() ->
                new AssertionError("no summary line starting '" + prefix + "' in " + p.summary()));
    }

    private static int roundTrips(Plan p) {
        Matcher m = Pattern.compile("(\\d+) round trips measured, (\\d+) read from the cache").matcher(p.summary().getFirst());
        assertTrue(m.find(), p.summary().getFirst());
        return Integer.parseInt(m.group(1));
    }

    @Test
    void sizeTargetIsNeverExceededAndTheFileIsWritten(@TempDir Path tmp) throws IOException {
        Path ref = SharedData.require("reference/trained/tiny-shakespeare-256-Q3_K_M-imat.gguf");
        long target = Files.size(ref);
        Path out = tmp.resolve("out.gguf");
        Plan p = plan(Map.of("target-size", Long.toString(target), "cache-dir", shared.toString()), out, false);
        long written = Files.size(out);
        assertTrue(written <= target, "wrote " + written + " bytes for a target of " + target);
        // the solver spends the budget: within one alignment step per tensor of the target
        assertTrue(written > target - 64L * p.tensors().size(), "wrote only " + written + " of " + target);
        assertTrue(line(p, "target ").contains("file " + written + " bytes"), p.summary().toString());
    }

    @Test
    void secondRunAtAnotherTargetReusesEveryMeasurement(@TempDir Path tmp) throws IOException {
        String cache = tmp.resolve("cache").toString();
        String few = "q3_k,q4_k,q6_k,q8_0";
        Plan first = plan(Map.of("target-bpw", "4.5", "cache-dir", cache, "candidates", few), null, true);
        assertTrue(roundTrips(first) > 0);
        long files;
        try (var s = Files.list(Path.of(cache))) {
            files = s.count();
        }
        Plan second = plan(Map.of("target-bpw", "4.0", "cache-dir", cache, "candidates", few), null, true);
        assertEquals(0, roundTrips(second), "the second run round-tripped tensors: " + second.summary().getFirst());
        try (var s = Files.list(Path.of(cache))) {
            assertEquals(files, s.count(), "the second run wrote new cache files");
        }
        double bpw = bpw(second);
        assertTrue(bpw <= 4.0 && bpw > 3.9, "bpw " + bpw);
    }

    private static double bpw(Plan p) {
        Matcher m = Pattern.compile("([0-9.]+) bpw, estimated").matcher(line(p, "target "));
        assertTrue(m.find(), p.summary().toString());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void exportedTensorTypeFileReproducesThePlanThroughLlamaCpp(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("types.txt");
        Plan ours = plan(Map.of("target-bpw", "3.5", "export", file.toString(), "cache-dir", shared.toString()),
                null, true);
        String fileType = ours.summary().stream().filter(s -> s.startsWith("tensor types written"))
                .map(s -> s.substring(s.lastIndexOf(' ') + 1, s.length() - 1)).findFirst().orElseThrow();
        // as quant quantize --tensor-type-file reads it: one REGEX=TYPE entry per non-blank line
        List<String> entries = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        Capture c = new Capture();
        QuantizeJob.builder(REGISTRY).input(SharedData.require(MODEL)).importance(SharedData.require(IMATRIX))
                .planner("llama-cpp", Map.of("file-type", fileType, "tensor-type", String.join("\n", entries)))
                .dryRun(true).listener(c).build().run();
        assertEquals(types(ours), types(c.plan));
        Set<String> distinct = new TreeSet<>(types(ours).values());
        assertTrue(distinct.size() > 2, "a mixed plan was expected, got " + distinct);
    }

    private static Map<String, String> types(Plan p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.tensors().forEach(t -> m.put(t.name(), t.targetType().lowerName()));
        return m;
    }

    @Test
    void attentionHighKeepsAttentionAtFourBitsOrMore(@TempDir Path tmp) throws IOException {
        Plan p = plan(Map.of("target-bpw", "3.5", "profile", "attention-high", "cache-dir", shared.toString()), null, true);
        Map<String, String> bad = new HashMap<>();
        p.tensors().stream().filter(t -> t.name().contains("attn_") && !t.isCopy())
                .filter(t -> t.targetType().bitsPerWeight() < 4.5).forEach(t -> bad.put(t.name(), t.targetType().lowerName()));
        assertEquals(Map.of(), bad);
        String out = p.tensors().stream().filter(t -> t.name().equals("output.weight")).map(t -> t.targetType().lowerName())
                .collect(Collectors.joining());
        assertTrue(Set.of("q6_k", "q8_0", "f16").contains(out), "output.weight " + out);
    }
}
