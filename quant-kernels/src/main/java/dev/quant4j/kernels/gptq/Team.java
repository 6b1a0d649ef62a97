package dev.quant4j.kernels.gptq;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Threads for one factorisation: {@link #forEach} runs an index range on all of them and returns when every index
 * is done (indices handed out one at a time, so rows or columns of unequal cost balance). One thread runs inline.
 */
final class Team implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    Team(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads == 1 ? null
                : Executors.newFixedThreadPool(this.threads - 1, Thread.ofPlatform().daemon().name("gptq-", 0).factory());
    }

    void forEach(int from, int to, IntConsumer body) {
        if (pool == null || to - from < 2) {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger(from);
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            helpers.add(pool.submit(worker));
        }
        worker.run();
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
