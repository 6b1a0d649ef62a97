package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.importance.cost.CostAnalysis;
import dev.quant4j.importance.cost.CostCache;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importance plan at each llama.cpp mixture's file size versus the mixture, by total imatrix-weighted
 * error (Σ_j imatrix_j Σ_rows (w − ŵ)², every row round-tripped, no sampling; output.weight, which the
 * imatrix lacks, weighted by output_norm's γ², token_embd by 1/rows). Three numbers per mixture:
 * the reference file as llama-quantize wrote it (its tensors dequantized), the mixture's types quantized with
 * the imatrix by our quantizers, and our plan. Writes the table to target/importance-vs-mixtures.md.
 */
class ImportanceVsMixturesTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImportanceVsMixturesTest.class.getClassLoader());
    private static final String DIR = "reference/trained/";
    private static final List<String> MIXTURES = List.of("Q2_K", "Q3_K_M", "Q4_K_M", "IQ4_XS", "IQ2_XXS-imat");

    @Test
    void planBeatsEveryMixtureAtItsSize(@TempDir Path cache) throws IOException {
        Path model = SharedData.require(DIR + "tiny-shakespeare-256-f16.gguf");
        Path imatrix = SharedData.require(DIR + "tiny-shakespeare-256-imatrix.gguf");
        CalibrationStats stats = Workers.calibrator(REGISTRY.calibrator("imatrix"))
                .importFile(imatrix, f -> Models.formatFor(REGISTRY, f).open(f));
        StringBuilder table = new StringBuilder("| mixture | file bytes | llama.cpp file | mixture types + imatrix "
                + "| importance plan | plan bytes | plan / mixture |\n|---|---|---|---|---|---|---|\n");
        List<String> failures = new ArrayList<>();
        try (ModelReader f16 = Models.formatFor(REGISTRY, model).open(model)) {
            RegistryPlanContext ctx = new RegistryPlanContext(REGISTRY, f16, "gguf", WriteOptions.SINGLE_FILE, 2);
            for (String mix : MIXTURES) {
                Path ref = SharedData.require(DIR + "tiny-shakespeare-256-" + mix + ".gguf");
                long size = Files.size(ref);
                Map<String, String> mixture = new LinkedHashMap<>();
                Map<String, Double> written = new LinkedHashMap<>();
                try (ModelReader r = Models.formatFor(REGISTRY, ref).open(ref)) {
                    for (TensorInfo t : r.tensors()) {
                        if (t.type().isQuantized()) {
                            mixture.put(t.name(), t.type().lowerName());
                            written.put(t.name(), fileError(ctx, r.view(t), stats.forTensor(t.name()).orElse(null)));
                        }
                    }
                }
                Capture c = new Capture();
                QuantizeJob.builder(REGISTRY).input(model).importance(imatrix).dryRun(true).listener(c).threads(2)
                        .planner("importance", Map.of("target-size", Long.toString(size), "cache-dir", cache.toString(),
                                "sample-elements", "0"))
                        .build().run();
                Map<String, String> ours = new LinkedHashMap<>();
                c.plan.tensors().stream().filter(t -> t.targetType().isQuantized() || t.rule().startsWith("importance"))
                        .forEach(t -> ours.put(t.name(), t.targetType().lowerName()));
                long planBytes = ctx.fileBytes(dev.quant4j.importance.plan.PlanLayouts.layout(c.plan));
                double mixCost = total(ctx, cache, stats, mixture);
                double ourCost = total(ctx, cache, stats, ours);
                double fileCost = written.values().stream().mapToDouble(Double::doubleValue).sum();
                table.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %d | %.3f |%n", mix, size,
                        fileCost, mixCost, ourCost, planBytes, ourCost / mixCost));
                if (!(ourCost < mixCost) || planBytes > size) {
                    failures.add(mix + ": plan " + ourCost + " at " + planBytes + " bytes vs mixture " + mixCost + " at " + size);
                }
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "importance-vs-mixtures.md"), table);
        assertTrue(failures.isEmpty(), failures + "\n" + table);
    }

    /** Σ of measured costs for a type per tensor (all rows, cache shared with the planner's runs). */
    private static double total(RegistryPlanContext ctx, Path cache, CalibrationStats stats, Map<String, String> types) {
        List<CostAnalysis.Job> jobs = new ArrayList<>();
        types.forEach((name, type) -> jobs.add(new CostAnalysis.Job(name, stats.forTensor(name).orElse(null),
                name.equals("output.weight") ? outputWeights(ctx) : null, name.equals("token_embd.weight"),
                List.of(type))));
        var result = new CostAnalysis(ctx, new CostCache(cache), Long.MAX_VALUE).run(jobs);
        double sum = 0;
        for (var e : result.costs().entrySet()) {
            sum += e.getValue().get(types.get(e.getKey())).value();
        }
        return sum;
    }

    /** The weighted error of a tensor as the reference file holds it, against the F16 original. */
    private static double fileError(RegistryPlanContext ctx, TensorView quantized, TensorActivationStats imp) {
        TensorView orig = ctx.tensor(quantized.name());
        Quantizer q = ctx.quantizer(quantized.type().lowerName(), Map.of());
        int n = (int) orig.rowLength();
        int rows = (int) orig.rows();
        float[] w = new float[n * rows];
        float[] back = new float[n * rows];
        orig.readRows(0, rows, w, 0);
        q.dequantize(quantized.data(), quantized.shape(), 0, rows, back);
        float[] weights = imp != null ? imp.slice(0)
                : quantized.name().equals("output.weight") ? outputWeights(ctx).slice(0) : null;
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            double d = w[i] - back[i];
            s += (weights == null ? (quantized.name().equals("token_embd.weight") ? 1.0 / rows : 1.0) : weights[i % n]) * d * d;
        }
        return s;
    }

    /** output.weight has no imatrix entry: its input's column mean squares are output_norm's γ². */
    private static TensorActivationStats outputWeights(RegistryPlanContext ctx) {
        TensorView norm = ctx.tensor("output_norm.weight");
        float[] g = new float[(int) norm.rowLength()];
        norm.readRow(0, g, 0);
        for (int j = 0; j < g.length; j++) {
            g[j] *= g[j];
        }
        return TensorActivationStats.of("output.weight", g.length, 0, g);
    }

    private static final class Capture implements ProgressListener {
        Plan plan;

        @Override
        public void planned(Plan p, long inputBytes) {
            plan = p;
        }
    }
}
