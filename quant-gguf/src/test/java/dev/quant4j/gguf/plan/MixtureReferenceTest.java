package dev.quant4j.gguf.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every plan of shared/reference/mixtures (llama-quantize --dry-run of llama.cpp 34af94cd): the command line of
 * each run is translated into our options, the model description planned, and the per-tensor types, the number
 * of shape fallbacks, the imatrix warning — or the refusal — compared with what llama-quantize printed.
 * strict-shapes is on, as llama-quantize has no F16 fallback of last resort.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MixtureReferenceTest {
    static final Set<String> ALL_TYPES = Arrays.stream(DType.values()).map(DType::lowerName)
            .collect(Collectors.toUnmodifiableSet());

    private final Map<String, ReferenceModel> models = new HashMap<>();
    private final LlamaCppPlannerProvider provider = new LlamaCppPlannerProvider();

    @Test
    void indexListsEveryResultFile() throws IOException {
        Path dir = SharedData.require("reference/mixtures");
        List<String[]> index = index(dir);
        assertEquals(2608, index.size());
        for (String[] row : index) {
            assertTrue(Files.exists(resultFile(dir, row)), String.join(" ", row));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyReferencePlan() throws IOException {
        Path dir = SharedData.require("reference/mixtures");
        return index(dir).stream().map(row -> DynamicTest.dynamicTest(row[0] + " " + row[1] + " " + row[2],
                () -> check(dir, row)));
    }

    private void check(Path dir, String[] row) throws IOException {
        ReferenceRun run = ReferenceRun.load(resultFile(dir, row));
        QuantizeCommand cmd = QuantizeCommand.parse(run.args());
        ReferenceModel model = model(dir, row[0]);
        Optional<CalibrationStats> calibration = cmd.imatrixFile() == null ? Optional.empty()
                : Optional.of(model.imatrix());
        Map<String, String> options = new LinkedHashMap<>(cmd.options());
        options.put("strict-shapes", "true");
        PlanSettings settings = provider.parseOptions(options).settings().withPruneLayers(cmd.prune());
        PlanRequest request = PlanRequest.ofNames(model.metadata(), model.tensors(), calibration, ALL_TYPES);
        if (run.error() != null) {
            QuantException e = assertThrows(QuantException.class, () -> new LlamaCppPlanner(settings).plan(request));
            assertTrue(e.getMessage().contains(run.error()), () -> "expected '" + run.error() + "', got: "
                    + e.getMessage());
            return;
        }
        Plan plan = new LlamaCppPlanner(settings).plan(request);
        Map<String, String> got = new LinkedHashMap<>();
        for (TensorPlan t : plan.tensors()) {
            got.put(t.name(), t.targetType().ggmlName());
        }
        assertEquals(List.copyOf(run.types().entrySet()).toString(), List.copyOf(got.entrySet()).toString());
        assertEquals(run.fallbacks(), fallbacks(plan), "fallback count");
        assertEquals(run.imatrixWarn(), plan.warnings().stream()
                .anyMatch(w -> w.startsWith(LlamaCppPlanner.IMATRIX_WARNING)), "imatrix warning");
    }

    /** The K of llama-quantize's "K of N tensor(s) required fallback quantization". */
    static int fallbacks(Plan plan) {
        return plan.warnings().stream().filter(w -> w.contains(LlamaCppPlanner.FALLBACK_WARNING))
                .mapToInt(w -> Integer.parseInt(w.substring(0, w.indexOf(' ')))).findFirst().orElse(0);
    }

    private ReferenceModel model(Path dir, String name) {
        return models.computeIfAbsent(name, n -> {
            try {
                return ReferenceModel.load(dir.resolve("models").resolve(n + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path resultFile(Path dir, String[] row) {
        return dir.resolve(row[0]).resolve(row[1] + "." + row[2] + ".txt");
    }

    private static List<String[]> index(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("index.tsv"));
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
    }
}
