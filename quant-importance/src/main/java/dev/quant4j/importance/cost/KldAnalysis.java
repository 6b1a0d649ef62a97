package dev.quant4j.importance.cost;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.PlanContext;
import dev.quant4j.api.spi.QualityProbe;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kld} estimator: for each (tensor, type) asked, the tensor alone is quantized (with its importance,
 * as the final quantization will) and the {@link QualityProbe} measures the model's mean KL divergence on the
 * calibration text with that tensor replaced. Each tensor's points are stored in the cost cache as soon as they
 * are measured, so a killed analysis resumes at the tensor where it stopped and a rerun at another target
 * measures nothing it already knows.
 */
public final class KldAnalysis {
    public static final String NAME = "kld";
    private static final Logger LOG = LoggerFactory.getLogger(KldAnalysis.class);

    /** One tensor and the types whose KLD to measure. */
    public record Job(String tensor, TensorActivationStats importance, List<String> types) {
        public Job {
            types = List.copyOf(types);
        }
    }

    /** Measured KLD by tensor then type (only the types asked), and how many were measured versus cached. */
    public record Result(Map<String, Map<String, Double>> kld, int measured, int cached) {
    }

    private final PlanContext ctx;
    private final QualityProbe probe;
    private final CostCache cache;

    public KldAnalysis(PlanContext ctx, QualityProbe probe, CostCache cache) {
        this.ctx = ctx;
        this.probe = probe;
        this.cache = cache;
    }

    public Result run(List<Job> jobs) {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        int measured = 0;
        int cached = 0;
        for (Job job : jobs) {
            TensorView view = ctx.tensor(job.tensor());
            String key = new ContentHash().text(NAME).text(probe.fingerprint()).tensor(view)
                    .importance(job.importance()).hex();
            Map<String, Cost> known = cache.read(key);
            Map<String, Double> mine = new LinkedHashMap<>();
            boolean changed = false;
            for (String type : job.types()) {
                String tag = type + "@" + ctx.quantizerDescriptor(type).version();
                Cost c = known.get(tag);
                if (c == null) {
                    long t0 = System.nanoTime();
                    c = new Cost(tag, measure(view, job.importance(), type), 0);
                    known.put(tag, c);
                    measured++;
                    changed = true;
                    LOG.debug("{} as {}: mean KLD {} ({} ms)", job.tensor(), type, c.value(),
                            (System.nanoTime() - t0) / 1_000_000);
                } else {
                    cached++;
                }
                mine.put(type, c.value());
            }
            if (changed) {
                cache.write(key, known); // the checkpoint: this tensor is done
            }
            all.put(job.tensor(), mine);
        }
        return new Result(all, measured, cached);
    }

    private double measure(TensorView view, TensorActivationStats importance, String type) {
        Quantizer q = ctx.quantizer(type, Map.of());
        if (!(q.encoding() instanceof TensorEncoding.Ggml g)) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "estimator kld: quantizer '" + type
                    + "' does not write a ggml type the forward pass can read");
        }
        try (Arena arena = Arena.ofShared()) { // the forward pass reads it from its worker threads
            MemorySegment out = arena.allocate(q.encodedBytes(view.name(), view.shape()), 16);
            int slices = importance == null ? 1 : importance.slices();
            long per = view.rows() / slices;
            for (int s = 0; s < slices; s++) {
                long rows = s == slices - 1 ? view.rows() - s * per : per;
                long off = (long) s * per * g.type().rowBytes(view.rowLength());
                q.quantize(view, s * per, rows, importance == null ? null : importance.slice(s),
                        out.asSlice(off, rows * g.type().rowBytes(view.rowLength())));
            }
            return probe.meanKld(List.of(new TensorView(view.name(), g.type(), view.shape(), out)));
        }
    }
}
