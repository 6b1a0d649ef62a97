package dev.quant4j.gguf.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real llama-quantize runs of shared/reference (stories260K, synth-8L, tiny-shakespeare-256): the planner, given
 * the input model and the same options, must choose the types llama-quantize logged, count the same fallbacks,
 * and produce exactly the tensor list and metadata (keys, order, types, values) of the file it wrote.
 */
class LlamaQuantizeOutputTest {
    private static final Pattern TENSOR = Pattern.compile(
            "\\[\\s*\\d+/\\s*\\d+\\]\\s+(\\S+)\\s+- \\[[^\\]]*\\], type =\\s*(\\S+),\\s*(converting to (\\S+) |size)?");
    private static final Pattern FALLBACKS = Pattern.compile("WARNING: (\\d+) of \\d+ tensor\\(s\\) required fallback");

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        String stories = "models/stories260K.gguf";
        for (String t : List.of("F16", "BF16", "Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "TQ2_0", "IQ4_XS")) {
            out.add(Arguments.of(stories, "reference/stories260K-" + t, t, null, List.of()));
        }
        for (String t : List.of("Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL")) {
            out.add(Arguments.of(stories, "reference/stories260K-" + t, t, null, List.of("ffn_down=f16")));
        }
        String imat = "reference/stories260K-imatrix.gguf";
        out.add(Arguments.of(stories, "reference/stories260K-Q4_K_M-imat", "Q4_K_M", imat, List.of()));
        out.add(Arguments.of(stories, "reference/stories260K-Q4_0-imat", "Q4_0", imat, List.of("ffn_down=f16")));
        String synth = "reference/synth/synth-8L.gguf";
        for (String t : List.of("Q8_0", "Q4_0", "Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "IQ4_XS", "TQ1_0")) {
            out.add(Arguments.of(synth, "reference/synth/synth-8L-" + t, t, null, List.of()));
        }
        for (String t : List.of("Q4_K_M", "IQ2_XXS", "IQ1_S")) {
            out.add(Arguments.of(synth, "reference/synth/synth-8L-" + t + "-imat", t,
                    "reference/synth/synth-8L-imatrix.gguf", List.of()));
        }
        String trained = "reference/trained/tiny-shakespeare-256-f16.gguf";
        for (String t : List.of("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q4_0", "Q3_K_M", "Q2_K", "IQ4_XS", "TQ2_0")) {
            out.add(Arguments.of(trained, "reference/trained/tiny-shakespeare-256-" + t, t, null, List.of()));
        }
        for (String t : List.of("Q4_K_M", "Q3_K_M", "IQ3_XXS", "IQ2_XXS", "IQ1_S")) {
            out.add(Arguments.of(trained, "reference/trained/tiny-shakespeare-256-" + t + "-imat", t,
                    "reference/trained/tiny-shakespeare-256-imatrix.gguf", List.of()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("runs")
    void reproducesLlamaQuantize(String input, String output, String fileType, String imatrix, List<String> tensorTypes)
            throws IOException {
        TestGguf in = TestGguf.read(SharedData.require(input));
        TestGguf written = TestGguf.read(SharedData.require(output + ".gguf"));
        String log = Files.readString(SharedData.require(output + ".types.txt"));
        Optional<CalibrationStats> stats = imatrix == null ? Optional.empty()
                : Optional.of(imatrixStats(SharedData.require(imatrix)));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("file-type", fileType);
        options.put("strict-shapes", "true");
        if (!tensorTypes.isEmpty()) {
            options.put("tensor-type", String.join(",", tensorTypes));
        }
        LlamaCppPlannerProvider provider = new LlamaCppPlannerProvider();
        Plan plan = provider.create(provider.parseOptions(options)).plan(
                PlanRequest.ofNames(in.metadata(), in.tensors(), stats, MixtureReferenceTest.ALL_TYPES));

        // where llama-quantize's stdout and stderr interleaved, a line lost its type: compare it as "?"
        Map<String, String> logged = new LinkedHashMap<>();
        Matcher m = TENSOR.matcher(log);
        while (m.find()) {
            logged.put(m.group(1), m.group(4) != null ? m.group(4) : m.group(3) != null ? m.group(2) : "?");
        }
        assertTrue(logged.values().stream().filter("?"::equals).count() <= 1, "log too garbled to compare");
        Map<String, String> planned = new LinkedHashMap<>();
        plan.tensors().forEach(t -> planned.put(t.name(),
                "?".equals(logged.get(t.name())) ? "?" : t.targetType().ggmlName()));
        assertEquals(logged.toString(), planned.toString(), "types logged by llama-quantize");

        List<String> file = written.tensors().stream().map(t -> t.name() + ":" + t.type()).toList();
        List<String> ours = plan.tensors().stream().map(t -> t.name() + ":" + t.targetType()).toList();
        assertEquals(file, ours, "tensors of the written file");
        assertEquals(written.metadata().entries(), plan.metadata().entries(), "metadata of the written file");

        // one "warning: NAME - ncols ..." line per fallback; the summary line is missing from truncated logs
        long perTensor = log.lines().filter(l -> l.startsWith("warning: ") && l.contains(" not divisible by ")).count();
        Matcher f = FALLBACKS.matcher(log);
        if (f.find()) {
            assertEquals(perTensor, Long.parseLong(f.group(1)), "the log's own fallback count");
        }
        assertEquals(perTensor, MixtureReferenceTest.fallbacks(plan), "fallbacks");
        for (TensorPlan t : plan.tensors()) {
            assertEquals(t.sourceType() == t.targetType(), t.isCopy(), t.name());
        }
    }

    /** llama-quantize's reading of a GGUF imatrix: in_sum2 / round(count) per matrix, 1 for a zero count. */
    static CalibrationStats imatrixStats(Path file) throws IOException {
        TestGguf g = TestGguf.read(file);
        List<TensorActivationStats> entries = new ArrayList<>();
        for (TensorInfo t : g.tensors()) {
            if (!t.name().endsWith(".in_sum2")) {
                continue;
            }
            String name = t.name().substring(0, t.name().length() - ".in_sum2".length());
            float[] sums = g.floats(t.name());
            float[] counts = g.floats(name + ".counts");
            int cols = sums.length / counts.length;
            float[] mean = new float[sums.length];
            for (int e = 0; e < counts.length; e++) {
                float c = Math.round(counts[e]);
                for (int i = 0; i < cols; i++) {
                    mean[e * cols + i] = c > 0 ? sums[e * cols + i] / c : 1f;
                }
            }
            entries.add(TensorActivationStats.of(name, cols, (long) counts[0], mean));
        }
        List<String> datasets = ((MetaValue.Array) g.metadata().get("imatrix.datasets").orElseThrow()).values()
                .stream().map(v -> ((MetaValue.Text) v).value()).toList();
        long chunks = g.metadata().getLong("imatrix.chunk_count").orElseThrow();
        return CalibrationStats.of(file.getFileName().toString(), entries).withProvenance(datasets, chunks);
    }
}
