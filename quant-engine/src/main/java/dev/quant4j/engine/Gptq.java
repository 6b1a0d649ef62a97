package dev.quant4j.engine;

import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.gptq.BlockRounder;
import dev.quant4j.kernels.gptq.GptqConfig;
import dev.quant4j.kernels.gptq.GptqSolver;
import dev.quant4j.kernels.gptq.HessianFile;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPTQ strategy of a {@link TensorStep}: replaces a float tensor by the weights GPTQ fitted each ggml block
 * on (see {@link GptqSolver}), so that the step's own row-independent quantizer then writes exactly the bytes
 * GPTQ chose. Blocks are rounded through that same quantizer (quantize + dequantize of the block's columns of
 * all rows, with the block's slice of the importance row), so GPTQ works for every ggml type the registry has
 * and falls back to the plain tensor (RTN) where it cannot apply: copies, float targets, non-row-independent
 * quantizers, quantized sources, tensors without a Hessian. The adjusted tensor is held on the heap (rows × cols
 * floats, one tensor at a time); the sweep runs in parallel over row ranges.
 */
final class Gptq implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gptq.class);

    private final HessianFile hessians;
    private final GptqConfig config;

    Gptq(HessianFile hessians, GptqConfig config) {
        this.hessians = hessians;
        this.config = config;
    }

    /** Why GPTQ does not apply to {@code step}, or null when it does. */
    String skipReason(TensorStep step) {
        if (step.isCopy()) {
            return "copied";
        }
        if (!(step.quantizer().encoding() instanceof TensorEncoding.Ggml g) || g.type().blockSize() < 2) {
            return "not a block-quantized ggml type";
        }
        if (!step.rowIndependent() || !step.dequantizes()) {
            return "quantizer is not row-independent with dequantization";
        }
        if (!step.source().type().isFloat()) {
            return "source is quantized";
        }
        String name = step.plan().name();
        if (!hessians.has(name, -1) && !hessians.has(name, 0)) {
            return "no Hessian in " + hessians.path().getFileName();
        }
        return null;
    }

    /** The GPTQ-adjusted tensor, or {@code src} itself when GPTQ does not apply. */
    TensorView adjust(TensorStep step, TensorView src, ExecutorService pool, int threads) {
        String skip = skipReason(step);
        if (skip != null) {
            LOG.debug("gptq: {} as RTN ({})", step.plan().name(), skip);
            return src;
        }
        String name = src.name();
        int cols = Math.toIntExact(src.rowLength());
        long rows = src.rows();
        boolean dense = hessians.has(name, -1);
        int experts = dense ? 1 : (int) src.shape().ne(src.shape().rank() - 1);
        int perExpert = Math.toIntExact(rows / experts);
        int unit = ((TensorEncoding.Ggml) step.quantizer().encoding()).type().blockSize();
        float[] w = new float[Math.toIntExact(Math.multiplyExact(rows, (long) cols))];
        src.readRows(0, Math.toIntExact(rows), w, 0);
        for (int e = 0; e < experts; e++) {
            double[] h = hessians.hessian(name, dense ? -1 : e);
            if (h == null || hessians.samples(name, dense ? -1 : e) == 0) {
                LOG.debug("gptq: {} expert {} saw no tokens; RTN", name, e);
                continue;
            }
            if (h.length != (long) cols * cols) {
                throw new dev.quant4j.api.error.QuantException(dev.quant4j.api.error.ErrorCode.INVALID_PLAN,
                        "tensor '" + name + "': Hessian in " + hessians.path() + " is for " + (int) Math.sqrt(h.length)
                                + " columns, the tensor has " + cols + "; the statistics were made for another model");
            }
            GptqSolver solver = GptqSolver.prepare(h, cols, unit, config);
            float[] imp = step.importance() == null ? null
                    : step.importance().slice(step.importance().slices() == 1 ? 0 : e);
            sweep(solver, step, w, e * perExpert, perExpert, cols, imp, pool, threads);
        }
        return TensorView.ofFloats(name, src.shape(), w);
    }

    private static void sweep(GptqSolver solver, TensorStep step, float[] w, int first, int count, int cols,
                              float[] imp, ExecutorService pool, int threads) {
        int parts = Math.max(1, Math.min(threads, count / 8));
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int r0 = first + (int) ((long) count * p / parts);
            int r1 = first + (int) ((long) count * (p + 1) / parts);
            Runnable job = () -> {
                float[] part = Arrays.copyOfRange(w, r0 * cols, r1 * cols);
                solver.sweep(part, r1 - r0, rounder(step, imp));
                System.arraycopy(part, 0, w, r0 * cols, part.length);
            };
            if (parts == 1) {
                job.run();
            } else {
                futures.add(pool.submit(job));
            }
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        hessians.close();
    }

    /** Rounds a block through the step's own quantizer: its bytes, then its dequantized values. */
    static BlockRounder rounder(TensorStep step, float[] imp) {
        return (block, rows, width, firstColumn, out) -> {
            Shape shape = Shape.of(width, rows);
            TensorView v = TensorView.ofFloats(step.plan().name(), shape, block);
            float[] sliceImp = imp == null ? null : Arrays.copyOfRange(imp, firstColumn, firstColumn + width);
            MemorySegment bytes = MemorySegment.ofArray(new byte[Math.toIntExact(
                    step.quantizer().encodedBytes(step.plan().name(), shape))]);
            step.quantizer().quantize(v, 0, rows, sliceImp, bytes);
            step.quantizer().dequantize(bytes, shape, 0, rows, out);
        };
    }
}
