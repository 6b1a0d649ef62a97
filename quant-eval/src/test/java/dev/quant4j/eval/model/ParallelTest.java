package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#forEach(int, java.util.function.Supplier, Parallel.Body, Runnable)}: the caller's serial work runs
 * on the caller while the workers already take items (a matmul's observer overlapping its tiles), every item runs
 * once, and a failure of that work is thrown only after the workers are done.
 */
class ParallelTest {
    @Test
    void callerWorkOverlapsTheItems() throws InterruptedException {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(40);
            CountDownLatch itemStarted = new CountDownLatch(1);
            AtomicReference<Thread> firstOn = new AtomicReference<>();
            AtomicInteger overlapped = new AtomicInteger();
            p.forEach(40, () -> null, (i, unused) -> {
                itemStarted.countDown();
                runs.incrementAndGet(i);
            }, () -> {
                firstOn.set(Thread.currentThread());
                try {   // a worker starts on the items while the caller is still here
                    if (itemStarted.await(10, TimeUnit.SECONDS)) {
                        overlapped.set(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertSame(Thread.currentThread(), firstOn.get());
            assertEquals(1, overlapped.get());
            for (int i = 0; i < runs.length(); i++) {
                assertEquals(1, runs.get(i), "item " + i);
            }
        }
    }

    /** A caller interrupted while it waits for the workers (Ctrl-C) ends as a cancellation, keeping its flag. */
    @Test
    void interruptedWaitIsACancellation() {
        try (Parallel p = new Parallel(2)) {
            Thread caller = Thread.currentThread();
            caller.interrupt();
            try {
                assertThrows(java.util.concurrent.CancellationException.class, () -> p.forEach(2, () -> null,
                        (i, unused) -> {
                            if (Thread.currentThread() != caller) {   // the worker's item outlasts the caller's
                                long end = System.nanoTime() + 200_000_000L;
                                while (System.nanoTime() < end) {
                                    Thread.onSpinWait();
                                }
                            }
                        }));
                assertTrue(caller.isInterrupted());
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void failureOfTheCallersWorkWaitsForTheItems() {
        try (Parallel p = new Parallel(2)) {
            AtomicInteger done = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forEach(8, () -> null,
                    (i, unused) -> done.incrementAndGet(), () -> {
                        throw new IllegalStateException("observer failed");
                    }));
            assertEquals("observer failed", e.getMessage());
            assertEquals(8, done.get(), "the workers finished every item before the failure was thrown");
        }
    }

    @Test
    void oneThreadRunsTheCallersWorkFirst() {
        try (Parallel p = new Parallel(1)) {
            StringBuilder order = new StringBuilder();
            p.forEach(3, () -> null, (i, unused) -> order.append(i), () -> order.append('f'));
            assertEquals("f012", order.toString());
        }
    }
}
