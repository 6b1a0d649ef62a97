package dev.quant4j.importance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cost cache as a checkpoint: a run killed mid-way resumes at the tensor where it stopped. */
class CostAnalysisResumeTest {
    /** Rounds to a grid; counts its round trips and fails once a limit is reached (a kill). */
    private static final class Grid implements Quantizer {
        private final float step;
        private final AtomicInteger calls;
        private final int failAfter;

        Grid(float step, AtomicInteger calls, int failAfter) {
            this.step = step;
            this.calls = calls;
            this.failAfter = failAfter;
        }

        @Override
        public TensorEncoding encoding() {
            return new TensorEncoding.Ggml(DType.F32);
        }

        @Override
        public long encodedBytes(String tensor, Shape shape) {
            return 4 * shape.elementCount();
        }

        @Override
        public void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst) {
            if (calls.incrementAndGet() > failAfter) {
                throw new IllegalStateException("killed");
            }
            int n = (int) src.rowLength();
            float[] row = new float[n];
            for (long r = 0; r < rowCount; r++) {
                src.readRow(firstRow + r, row, 0);
                for (int j = 0; j < n; j++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, r * n + j, Math.round(row[j] / step) * step);
                }
            }
        }

        @Override
        public void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst) {
            MemorySegment.copy(encoded, ValueLayout.JAVA_FLOAT, 0, dst, 0, (int) (rowCount * shape.rowLength()));
        }
    }

    private record Context(Map<String, TensorView> tensors, AtomicInteger calls, int failAfter) implements AnalysisOnlyContext {
        @Override
        public TensorView tensor(String name) {
            return tensors.get(name);
        }

        @Override
        public Quantizer quantizer(String name, Map<String, String> options) {
            return new Grid(name.equals("coarse") ? 0.5f : 0.1f, calls, failAfter);
        }

        @Override
        public ProviderDescriptor quantizerDescriptor(String name) {
            return ProviderDescriptor.of(Grid.class, name, name);
        }
    }

    @Test
    void aKilledRunResumesWhereItStoppedWithTheSameNumbers(@TempDir Path cache) {
        Map<String, TensorView> tensors = new LinkedHashMap<>();
        List<CostAnalysis.Job> jobs = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 6; i++) {
            float[] v = new float[32 * 8];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) r.nextGaussian();
            }
            String name = "blk." + i + ".ffn_up.weight";
            tensors.put(name, TensorView.ofFloats(name, Shape.of(32, 8), v));
            jobs.add(new CostAnalysis.Job(name, null, false, List.of("coarse", "fine")));
        }
        AtomicInteger calls = new AtomicInteger();
        // killed during the fourth tensor: three tensors (6 round trips) were checkpointed
        CostAnalysis killed = new CostAnalysis(new Context(tensors, calls, 7), new CostCache(cache), 1 << 20);
        assertThrows(IllegalStateException.class, () -> killed.run(jobs));

        AtomicInteger resumedCalls = new AtomicInteger();
        var resumed = new CostAnalysis(new Context(tensors, resumedCalls, Integer.MAX_VALUE), new CostCache(cache), 1 << 20)
                .run(jobs);
        assertEquals(6, resumed.cached());
        assertEquals(6, resumed.measured());
        assertEquals(6, resumedCalls.get(), "only the tensors not yet checkpointed are round-tripped");

        var fresh = new CostAnalysis(new Context(tensors, new AtomicInteger(), Integer.MAX_VALUE), new CostCache(null),
                1 << 20).run(jobs);
        assertEquals(fresh.costs(), resumed.costs(), "cached numbers are the measured numbers");
    }
}
