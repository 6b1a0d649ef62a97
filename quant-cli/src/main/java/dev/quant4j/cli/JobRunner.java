package dev.quant4j.cli;

import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job so that Ctrl-C cancels it and waits (briefly) for it to remove its partial output before the
 * JVM exits.
 */
final class JobRunner {
    private JobRunner() {
    }

    static QuantizeReport run(QuantizeJob job) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            job.cancel();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quant-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return job.run();
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
