package dev.quant4j.cli;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs an evaluation so that Ctrl-C interrupts it (the drivers check the interrupt between chunks and stop with a
 * CancellationException, their writers deleting partial output) and the JVM waits briefly for that cleanup.
 */
final class JobInterrupts {
    interface Work<T> {
        T run() throws IOException;
    }

    private JobInterrupts() {
    }

    static <T> T run(Work<T> work) throws IOException {
        Thread worker = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quant-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C; the hook is already running
            }
        }
    }
}
