package dev.quant4j.eval.model;

import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.kernels.Activations;
import dev.quant4j.kernels.MatTile;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Has the JIT compile the forward pass's kernels (the matmul tile, softmax and SwiGLU) on a background thread, once
 * per process: the JIT's compiled code is per process, so a second warm-up (another model opened) would only
 * repeat the slow uncompiled runs. Opening a {@link ModelRunner} starts it; a command can start it earlier, before
 * it loads the registry and opens the model, so the kernels are compiled sooner after the first batch starts.
 *
 * <p>The float forms are warmed at once; the weight encodings only once a model's header has named them
 * ({@link #weights}), and only those (docs/forward-pass.md, "Fixed cost of the first batch, second pass"). A later
 * model with other encodings (the candidate of a {@code kld} run) has just those warmed when it opens.
 */
public final class KernelWarmUp {
    private static final KernelWarmUp PROCESS = new KernelWarmUp();

    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Set<MatTile.Encoding>> first = new CompletableFuture<>();
    private final BlockingQueue<Set<MatTile.Encoding>> later = new LinkedBlockingQueue<>();

    private KernelWarmUp() {
    }

    /** Starts the warm-up thread unless this process has one already; returns at once. */
    public static void start() {
        if (PROCESS.started.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("quant-eval-warmup").start(PROCESS::run);
        }
    }

    /** The encodings the kernel reads directly among {@code tensors}' types, for the warm-up to cover. */
    static void weights(Collection<TensorInfo> tensors) {
        Set<MatTile.Encoding> e = EnumSet.noneOf(MatTile.Encoding.class);
        for (TensorInfo t : tensors) {
            MatTile.Encoding enc = MatMul.encoding(t.type());
            if (enc != null) {
                e.add(enc);
            }
        }
        synchronized (PROCESS) {
            if (!PROCESS.first.complete(e)) {
                PROCESS.later.add(e);
            }
        }
    }

    private void run() {
        MatTile kernel = MatTile.create();
        kernel.warmUp(first);
        Activations.create().warmUp();
        Set<MatTile.Encoding> warmed = EnumSet.copyOf(first.join());
        try {
            while (true) {
                Set<MatTile.Encoding> next = EnumSet.copyOf(later.take());
                next.removeAll(warmed);
                if (!next.isEmpty()) {
                    kernel.warmUp(CompletableFuture.completedFuture(next));
                    warmed.addAll(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the process is ending
        }
    }
}
