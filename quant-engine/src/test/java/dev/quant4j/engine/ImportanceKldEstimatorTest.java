package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.QualityProbe;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kld/blend estimators wired through {@link QuantizeJob.Builder#qualityProbe}: the planner measures through
 * the probe it is given and follows what the probe says. The stand-in probe declares every attn_v tensor a
 * thousand times more sensitive than its round-trip error (what the forward pass found on the trained model,
 * exaggerated); the blend plan must then give every attn_v at least the bits the weighted-error plan gives it.
 */
class ImportanceKldEstimatorTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImportanceKldEstimatorTest.class.getClassLoader());
    private static final String MODEL = "reference/trained/tiny-shakespeare-256-f16.gguf";
    private static final String IMATRIX = "reference/trained/tiny-shakespeare-256-imatrix.gguf";

    /** Squared round-trip error of the substitutes, ×1000 for attn_v. */
    private record Probe(Map<String, TensorView> originals, AtomicInteger calls) implements QualityProbe {
        @Override
        public String fingerprint() {
            return "attn_v is sensitive";
        }

        @Override
        public double meanKld(List<TensorView> substitutes) {
            calls.incrementAndGet();
            double s = 0;
            for (TensorView v : substitutes) {
                @SuppressWarnings("unchecked")
                QuantizerProvider<Record> p = (QuantizerProvider<Record>) REGISTRY.quantizer(v.type().lowerName());
                Quantizer q = p.create(p.defaultOptions());
                int n = (int) v.shape().elementCount();
                float[] back = new float[n];
                float[] orig = new float[n];
                q.dequantize(v.data(), v.shape(), 0, v.rows(), back);
                originals.get(v.name()).readRows(0, (int) v.rows(), orig, 0);
                double e = 0;
                for (int i = 0; i < n; i++) {
                    e += (back[i] - orig[i]) * (double) (back[i] - orig[i]);
                }
                s += v.name().contains("attn_v") ? 1000 * e : e;
            }
            return s;
        }
    }

    private static Plan plan(Map<String, String> options, QualityProbe probe) throws IOException {
        Plan[] out = new Plan[1];
        QuantizeJob.builder(REGISTRY).input(SharedData.require(MODEL)).planner("importance", options)
                .importance(SharedData.require(IMATRIX)).threads(2).dryRun(true).qualityProbe(probe)
                .listener(new ProgressListener() {
                    @Override
                    public void planned(Plan p, long inputBytes) {
                        out[0] = p;
                    }
                }).build().run();
        return out[0];
    }

    @Test
    void blendFollowsTheProbeAndReportsBothEstimators(@TempDir Path tmp) throws IOException {
        Map<String, TensorView> originals = new HashMap<>();
        try (var r = REGISTRY.format("gguf").open(SharedData.require(MODEL))) {
            for (var t : r.tensors()) {
                float[] f = new float[(int) t.shape().elementCount()];
                r.view(t).readRows(0, (int) t.shape().rows(), f, 0);
                originals.put(t.name(), TensorView.ofFloats(t.name(), t.shape(), f));
            }
        }
        String cache = tmp.resolve("cache").toString();
        Map<String, String> common = Map.of("target-bpw", "3.5", "cache-dir", cache, "candidates", "q2_k,q3_k,q4_k,q5_k,q6_k,q8_0");
        Plan we = plan(common, null);
        AtomicInteger calls = new AtomicInteger();
        Map<String, String> blend = new HashMap<>(common);
        blend.put("estimator", "blend");
        blend.put("kld-types", "q2_k,q6_k");
        Plan b = plan(blend, new Probe(originals, calls));
        assertEquals(44 * 2, calls.get(), "two measured points per tensor");
        int raised = 0;
        for (TensorPlan tp : b.tensors()) {
            if (tp.name().contains("attn_v")) {
                TensorPlan w = we.tensors().stream().filter(x -> x.name().equals(tp.name())).findFirst().orElseThrow();
                double bb = tp.targetType().bitsPerWeight();
                double wb = w.targetType().bitsPerWeight();
                assertTrue(bb >= wb, tp.name() + ": blend " + tp.targetType() + " < weighted-error " + w.targetType());
                raised += bb > wb ? 1 : 0;
                assertTrue(tp.rule().contains("kld ") && tp.rule().contains("weighted-error "), tp.rule());
            }
        }
        assertTrue(raised > 0, "no attn_v got more bits");
        assertTrue(b.summary().stream().anyMatch(l -> l.startsWith("estimator blend: 88 KLD points measured")),
                b.summary().toString());

        AtomicInteger again = new AtomicInteger();
        Map<String, String> other = new HashMap<>(blend);
        other.put("target-bpw", "4.5");
        plan(other, new Probe(originals, again));
        assertEquals(0, again.get(), "a rerun at another target reads every point from the cache");
    }

    @Test
    void kldWithoutAProbeAsksForCalibrationText() {
        SharedData.require(MODEL); // skip (not fail) where ../shared is absent
        SharedData.require(IMATRIX);
        QuantException e = assertThrows(QuantException.class, () -> plan(Map.of("target-bpw", "4", "estimator", "kld",
                "cache-dir", "none"), null));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains("--calibration"), e.getMessage());
    }
}
