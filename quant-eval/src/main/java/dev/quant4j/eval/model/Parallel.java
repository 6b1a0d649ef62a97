package dev.quant4j.eval.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs independent work items on the caller plus {@code threads - 1} pooled workers, items pulled in order. */
final class Parallel implements AutoCloseable {
    /** One worker's share: called with item indices, with a per-worker scratch object. */
    interface Body<S> {
        void run(int item, S scratch);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1
                ? Executors.newFixedThreadPool(threads - 1, Thread.ofPlatform().daemon().name("quant-eval-", 0).factory())
                : null;
    }

    int threads() {
        return threads;
    }

    /** A contiguous share of a range of indices. */
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into pieces of {@code grain} indices (the last one shorter), in
     * parallel. The cut depends on {@code grain} alone, never on the thread count, so a body whose result depends
     * on where a piece starts (a vector loop's scalar tail) gives the same bits with any number of threads.
     */
    void range(int n, int grain, Range body) {
        int pieces = (n + grain - 1) / grain;
        if (pieces <= 1 || threads <= 1) {
            body.run(0, n);
            return;
        }
        forEach(pieces, () -> null, (p, unused) -> body.run(p * grain, Math.min(n, (p + 1) * grain)));
    }

    /** Runs {@code body} for items {@code 0 .. items-1}; each worker gets its own {@code scratch.get()}. */
    <S> void forEach(int items, java.util.function.Supplier<S> scratch, Body<S> body) {
        forEach(items, scratch, body, null);
    }

    /**
     * {@link #forEach(int, java.util.function.Supplier, Body)} with the caller running {@code first} (null: nothing)
     * before it takes items: the pooled workers start on the items meanwhile, so serial work of the caller that
     * reads what the items only read (an observer's look at a matmul's input) overlaps them instead of keeping
     * them waiting. A failure of {@code first} is thrown once the workers are done.
     */
    <S> void forEach(int items, java.util.function.Supplier<S> scratch, Body<S> body, Runnable first) {
        int workers = Math.min(threads, items);
        if (workers <= 1) {
            if (first != null) {
                first.run();
            }
            S s = scratch.get();
            for (int i = 0; i < items; i++) {
                body.run(i, s);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            S s = scratch.get();
            for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
                body.run(i, s);
            }
        };
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            futures.add(pool.submit(worker));
        }
        RuntimeException failure = null;
        try {
            if (first != null) {
                first.run();
            }
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new java.util.concurrent.CancellationException("interrupted");   // as a cancelled run
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
