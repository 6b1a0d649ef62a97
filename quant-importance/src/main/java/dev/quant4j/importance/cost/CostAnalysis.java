package dev.quant4j.importance.cost;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.PlanContext;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the cost of every (tensor, candidate type) pair with the weighted-error estimator, tensor by tensor:
 * a tensor's sample is read once and its candidates are round-tripped in parallel; each finished tensor is
 * stored in the cache at once (the checkpoint a killed run resumes from).
 */
public final class CostAnalysis {
    private static final Logger LOG = LoggerFactory.getLogger(CostAnalysis.class);

    /**
     * One tensor to measure.
     *
     * @param importance  the importance the quantizers get (the imatrix entry), or null
     * @param costWeights column weights of the cost when {@code importance} is null (e.g. derived from a norm's
     *                    scale), or null for uniform weights
     * @param lookupTable a token embedding: rows are looked up, not multiplied (weights 1/rows)
     */
    public record Job(String tensor, TensorActivationStats importance, TensorActivationStats costWeights,
                      boolean lookupTable, List<String> types) {
        public Job {
            types = List.copyOf(types);
        }

        public Job(String tensor, TensorActivationStats importance, boolean lookupTable, List<String> types) {
            this(tensor, importance, null, lookupTable, types);
        }
    }

    /** Costs by tensor then by type, and how many round trips were run versus read from the cache. */
    public record Result(Map<String, Map<String, Cost>> costs, int measured, int cached) {
    }

    private final PlanContext ctx;
    private final CostCache cache;
    private final long sampleElements;

    public CostAnalysis(PlanContext ctx, CostCache cache, long sampleElements) {
        this.ctx = ctx;
        this.cache = cache;
        this.sampleElements = sampleElements;
    }

    public Result run(List<Job> jobs) {
        Map<String, Map<String, Cost>> all = new LinkedHashMap<>();
        int measured = 0;
        int cached = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, ctx.threads()),
                Thread.ofPlatform().daemon().name("importance-", 0).factory());
        try {
            for (Job job : jobs) {
                TensorView view = ctx.tensor(job.tensor());
                if (!view.type().isFloat()) {
                    throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + job.tensor() + "' is "
                            + view.type().lowerName() + "; the importance planner measures float models (F32, F16, "
                            + "BF16): start from the unquantized model");
                }
                String key = key(view, job);
                Map<String, Cost> known = cache.read(key);
                // cached under TYPE@VERSION: a new quantizer implementation is measured again
                Map<String, String> tagged = new LinkedHashMap<>();
                job.types().forEach(t -> tagged.put(t, t + "@" + ctx.quantizerDescriptor(t).version()));
                List<String> missing = job.types().stream().filter(t -> !known.containsKey(tagged.get(t))).toList();
                cached += job.types().size() - missing.size();
                if (!missing.isEmpty()) {
                    RowSample sample = RowSample.of(view, sampleElements);
                    List<Future<Cost>> futures = new ArrayList<>();
                    for (String type : missing) {
                        Quantizer q = ctx.quantizer(type, Map.of());
                        futures.add(pool.submit(() -> WeightedError.measure(tagged.get(type), job.tensor(), sample,
                                job.importance(), job.costWeights(), job.lookupTable(), q)));
                    }
                    for (Future<Cost> f : futures) {
                        Cost c = get(f);
                        known.put(c.type(), c);
                    }
                    measured += missing.size();
                    cache.write(key, known);
                    LOG.debug("{}: measured {} type(s) on {} of {} rows", job.tensor(), missing.size(), sample.count(),
                            sample.rows());
                }
                Map<String, Cost> mine = new LinkedHashMap<>();
                for (String t : job.types()) {
                    Cost c = known.get(tagged.get(t));
                    mine.put(t, new Cost(t, c.value(), c.stdError()));
                }
                all.put(job.tensor(), mine);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(all, measured, cached);
    }

    /** Tensor bytes, importance, estimator and its sampling: what the measured numbers depend on. */
    private String key(TensorView view, Job job) {
        ContentHash h = new ContentHash().text(WeightedError.NAME).text("sample " + sampleElements)
                .text(job.lookupTable() ? "lookup" : "matmul").tensor(view).importance(job.importance())
                .text("cost weights").importance(job.costWeights());
        return h.hex();
    }

    private static Cost get(Future<Cost> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while measuring");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
