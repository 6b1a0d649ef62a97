package dev.quant4j.cli;

import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job so that Ctrl-C cancels it and waits (briefly) for it to remove its partial output before the
 * JVM exits, then says {@code cancelled}.
 */
final class JobRunner {
    private JobRunner() {
    }

    static QuantizeReport run(QuantizeJob job) throws IOException {
        return run(job, null);
    }

    /** As {@link #run(QuantizeJob)}; on Ctrl-C prints {@code quant: cancelled} to {@code err} once cleaned up. */
    static QuantizeReport run(QuantizeJob job, PrintWriter err) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            job.cancel();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (err != null) {
                // the JVM is exiting: the command's own error handler may not get to run
                err.println("\nquant: cancelled (partial output removed)");
                err.flush();
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
                // the JVM is exiting because of Ctrl-C; the hook is already running and reports it
                if (err != null) {
                    waitForExit();
                }
            }
        }
    }

    /** The hook prints the one message; this thread must not add an error of its own before the JVM halts. */
    private static void waitForExit() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
