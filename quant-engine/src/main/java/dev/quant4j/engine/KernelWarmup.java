package dev.quant4j.engine;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Encodes a small synthetic tensor with each quantizer the run needs later, on one background thread while the
 * workers write the first tensors, so that the JIT has compiled those quantizers' vector kernels when their
 * tensors arrive. Without it a type met only at the end (the Q6_K {@code output.weight} of most mixtures) spent
 * its first seconds on the kernels' slow uncompiled forms, on the critical path. The output is discarded; the
 * written bytes never depend on it. Bounded by {@value #CALLS} calls per quantizer and {@value #BUDGET_MILLIS} ms
 * of this thread's CPU time in all (wall time where the JVM cannot measure it), and stopped when the writing ends.
 */
final class KernelWarmup implements AutoCloseable {
    /** Smaller models finish before a warm-up could pay off. */
    static final long MIN_INPUT_BYTES = 64L << 20;
    private static final int ROWS = 16;
    /** A multiple of every block size (32 and 256). */
    private static final int COLUMNS = 256;
    private static final int CALLS = 64;
    private static final long BUDGET_MILLIS = 1500;

    private final Thread thread;

    private KernelWarmup(Thread thread) {
        this.thread = thread;
    }

    /** Starts warming the row quantizers of {@code steps} after the first one's (the workers warm that). */
    static KernelWarmup start(List<TensorStep> steps, long inputBytes) {
        Set<RowQuantizer> later = new LinkedHashSet<>();
        for (TensorStep s : steps) {
            if (s.quantizer() instanceof RowQuantizer q) {
                later.add(q);
            }
        }
        steps.stream().map(TensorStep::quantizer).filter(q -> q != null).findFirst().ifPresent(later::remove);
        if (inputBytes < MIN_INPUT_BYTES || later.isEmpty()) {
            return new KernelWarmup(null);
        }
        return new KernelWarmup(Thread.ofPlatform().daemon().name("quant-warmup").start(() -> warm(later)));
    }

    private static void warm(Set<RowQuantizer> quantizers) {
        SplittableRandom random = new SplittableRandom(1);
        float[] values = new float[ROWS * COLUMNS];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.02);
        }
        Shape shape = Shape.of(COLUMNS, ROWS);
        TensorView src = TensorView.ofFloats("warm-up", shape, values);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported();
        long start = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        for (Quantizer q : quantizers) {
            try {
                MemorySegment dst = MemorySegment.ofArray(new byte[Math.toIntExact(q.encodedBytes("warm-up", shape))]);
                for (int i = 0; i < CALLS; i++) {
                    long used = (cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start;
                    if (Thread.currentThread().isInterrupted() || used > BUDGET_MILLIS * 1_000_000) {
                        return;
                    }
                    q.quantize(src, 0, ROWS, null, dst);
                }
            } catch (RuntimeException e) {
                // e.g. a type that needs an imatrix: the run warms it itself
            }
        }
    }

    /** Stops the warm-up (it ends within one call). */
    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
