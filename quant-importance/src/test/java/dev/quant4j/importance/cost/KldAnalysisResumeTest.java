package dev.quant4j.importance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.QualityProbe;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kld analysis's checkpoints: a killed analysis resumes at the tensor where it stopped, a rerun (another
 * target) measures nothing, another calibration text measures again. The probe here is a stand-in whose "KLD" is
 * the substitute's squared distance from the original, so every number is checked against a hand computation.
 */
class KldAnalysisResumeTest {
    /** Squared distance of each substitute from the original; counts calls, fails (a kill) past a limit. */
    private record Probe(Map<String, TensorView> originals, String fingerprint, AtomicInteger calls, int failAfter)
            implements QualityProbe {
        @Override
        public double meanKld(List<TensorView> substitutes) {
            if (calls.incrementAndGet() > failAfter) {
                throw new IllegalStateException("killed");
            }
            double s = 0;
            for (TensorView v : substitutes) {
                float[] a = new float[(int) v.shape().elementCount()];
                float[] b = new float[a.length];
                v.readRows(0, (int) v.rows(), a, 0);
                originals.get(v.name()).readRows(0, (int) v.rows(), b, 0);
                for (int i = 0; i < a.length; i++) {
                    s += (a[i] - b[i]) * (double) (a[i] - b[i]);
                }
            }
            return s;
        }
    }

    private record Context(Map<String, TensorView> tensors) implements AnalysisOnlyContext {
        @Override
        public TensorView tensor(String name) {
            return tensors.get(name);
        }

        @Override
        public Quantizer quantizer(String name, Map<String, String> options) {
            return new WeightedErrorTest.Rounding(name.equals("coarse") ? 0.5f : 0.1f); // F32: readable by the probe
        }

        @Override
        public ProviderDescriptor quantizerDescriptor(String name) {
            return ProviderDescriptor.of(WeightedErrorTest.Rounding.class, name, name);
        }
    }

    @Test
    void killedAnalysisResumesRerunMeasuresNothingOtherTextMeasuresAgain(@TempDir Path cache) throws Exception {
        Map<String, TensorView> tensors = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        List<KldAnalysis.Job> jobs = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 6; i++) {
            float[] v = new float[32 * 8];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) r.nextGaussian();
            }
            String name = "blk." + i + ".attn_v.weight";
            tensors.put(name, TensorView.ofFloats(name, Shape.of(32, 8), v));
            values.put(name, v);
            jobs.add(new KldAnalysis.Job(name, null, List.of("coarse", "fine")));
        }
        Context ctx = new Context(tensors);
        // killed at the 7th measurement (fourth tensor): three tensors were checkpointed
        AtomicInteger calls = new AtomicInteger();
        var killed = new KldAnalysis(ctx, new Probe(tensors, "text A", calls, 6), new CostCache(cache));
        assertThrows(IllegalStateException.class, () -> killed.run(jobs));
        assertEquals(3, Files.list(cache).filter(f -> f.toString().endsWith(".costs")).count());

        AtomicInteger resumedCalls = new AtomicInteger();
        var resumed = new KldAnalysis(ctx, new Probe(tensors, "text A", resumedCalls, Integer.MAX_VALUE),
                new CostCache(cache)).run(jobs);
        assertEquals(6, resumed.cached());
        assertEquals(6, resumed.measured());
        assertEquals(6, resumedCalls.get(), "only the tensors not checkpointed are measured");
        for (var e : values.entrySet()) {
            assertEquals(hand(e.getValue(), 0.5f), resumed.kld().get(e.getKey()).get("coarse"), 1e-9);
            assertEquals(hand(e.getValue(), 0.1f), resumed.kld().get(e.getKey()).get("fine"), 1e-9);
        }

        AtomicInteger rerunCalls = new AtomicInteger();
        var rerun = new KldAnalysis(ctx, new Probe(tensors, "text A", rerunCalls, Integer.MAX_VALUE),
                new CostCache(cache)).run(jobs);
        assertEquals(0, rerunCalls.get(), "a rerun (another target) measures nothing");
        assertEquals(resumed.kld(), rerun.kld());

        AtomicInteger otherCalls = new AtomicInteger();
        new KldAnalysis(ctx, new Probe(tensors, "text B", otherCalls, Integer.MAX_VALUE), new CostCache(cache)).run(jobs);
        assertEquals(12, otherCalls.get(), "another calibration text is another measurement");
    }

    private static double hand(float[] v, float step) {
        double s = 0;
        for (float x : v) {
            double d = Math.round(x / step) * step - x;
            s += d * d;
        }
        return s;
    }
}
