package dev.quant4j.eval.model;

import dev.quant4j.kernels.Activations;
import dev.quant4j.kernels.MatTile;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Has the JIT compile the forward pass's kernels (the matmul tile, softmax and SwiGLU) on a background thread, once
 * per process: the JIT's compiled code is per process, so a second warm-up (another model opened) would only
 * repeat the slow uncompiled runs. Opening a {@link ModelRunner} starts it; a command can start it earlier, before
 * it loads the registry and opens the model, so the kernels are compiled sooner after the first batch starts.
 */
public final class KernelWarmUp {
    private static final KernelWarmUp PROCESS = new KernelWarmUp();

    private final AtomicBoolean started = new AtomicBoolean();

    private KernelWarmUp() {
    }

    /** Starts the warm-up thread unless this process has one already; returns at once. */
    public static void start() {
        if (PROCESS.started.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("quant-eval-warmup").start(() -> {
                MatTile.create().warmUp();
                Activations.create().warmUp();
            });
        }
    }
}
