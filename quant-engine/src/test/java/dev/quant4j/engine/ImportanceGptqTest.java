package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.kernels.gptq.HessianAccumulator;
import dev.quant4j.kernels.gptq.HessianFile;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importance planner offering GPTQ variants ({@code gptq-hessians=FILE}) on the trained model, with a Hessian
 * for one tensor only: a correlated Hessian makes the variant cheaper and the plan writes that tensor with the
 * {@code gptq} quantizer (and the job writes the file); a diagonal Hessian gives GPTQ nothing to feed back, the
 * output-error ratio is exactly 1 and no tensor is planned with GPTQ; tensors without a Hessian never are.
 */
class ImportanceGptqTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImportanceGptqTest.class.getClassLoader());
    private static final String MODEL = "reference/trained/tiny-shakespeare-256-f16.gguf";
    private static final String IMATRIX = "reference/trained/tiny-shakespeare-256-imatrix.gguf";
    private static final String TENSOR = "blk.2.ffn_down.weight";
    private static final int COLS = 768;

    private static final class Capture implements ProgressListener {
        Plan plan;

        @Override
        public void planned(Plan p, long inputBytes) {
            plan = p;
        }
    }

    @Test
    void correlatedHessianMakesTheGptqVariantTheChoice(@TempDir Path tmp) throws IOException {
        Path model = SharedData.require(MODEL);
        Path h = hessians(tmp.resolve("c.hes"), model, correlated(new Random(3)));
        Plan p = plan(model, h, tmp.resolve("out.gguf"), false);
        TensorPlan tp = find(p, TENSOR);
        assertEquals("gptq", tp.quantizer(), tp.toString());
        assertEquals(tp.targetType().lowerName(), tp.options().get("type"));
        assertTrue(tp.rule().contains("gptq ×"), tp.rule());
        assertEquals(1, p.tensors().stream().filter(t -> "gptq".equals(t.quantizer())).count(), "only " + TENSOR);
        assertTrue(p.summary().stream().anyMatch(l -> l.startsWith("gptq: 1 tensors measured")), p.summary().toString());
    }

    @Test
    void diagonalHessianGivesNoVariant(@TempDir Path tmp) throws IOException {
        Path model = SharedData.require(MODEL);
        double[] diag = new double[COLS * COLS];
        for (int j = 0; j < COLS; j++) {
            diag[j * COLS + j] = 1 + j % 7;
        }
        Plan p = plan(model, hessians(tmp.resolve("d.hes"), model, diag), null, true);
        assertTrue(p.tensors().stream().noneMatch(t -> "gptq".equals(t.quantizer())), p.tensors().toString());
    }

    private static Plan plan(Path model, Path hessians, Path out, boolean dryRun) throws IOException {
        Capture c = new Capture();
        QuantizeJob.builder(REGISTRY).input(model).output(out)
                .planner("importance", Map.of("target-bpw", "3.5", "cache-dir", "none",
                        "candidates", "q3_k,q4_k,q5_k", "gptq-hessians", hessians.toString()))
                .importance(SharedData.require(IMATRIX)).threads(2).dryRun(dryRun).listener(c).build().run();
        return c.plan;
    }

    private static TensorPlan find(Plan p, String name) {
        return p.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static Path hessians(Path f, Path model, double[] h) throws IOException {
        try (var w = new HessianFile.Writer(f, new HessianFile.Header(HessianFile.sha256(model), new byte[32], 1, 1, 1))) {
            w.add(TENSOR, -1, COLS, 1000, h);
            w.commit();
        }
        return f;
    }

    /** H of {@link GptqTest}'s correlated inputs (low-rank structure plus noise, as real activations). */
    private static double[] correlated(Random rnd) {
        int tokens = 1024;
        HessianAccumulator acc = new HessianAccumulator(COLS);
        acc.add(GptqTest.correlatedInputs(tokens, rnd), tokens);
        return acc.hessian();
    }
}
