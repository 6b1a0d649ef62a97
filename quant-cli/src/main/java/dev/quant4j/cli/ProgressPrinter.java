package dev.quant4j.cli;

import dev.quant4j.api.spi.Plan;
import dev.quant4j.engine.ProgressListener;
import dev.quant4j.engine.TensorResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders progress on stderr: a one-line bar redrawn in place on a terminal, one line per tensor otherwise.
 */
final class ProgressPrinter implements ProgressListener {
    private static final int BAR = 28;
    private final PrintWriter err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long total;

    ProgressPrinter(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static boolean stderrIsTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void planned(Plan plan, long inputBytes) {
        total = inputBytes;
    }

    @Override
    public void warning(String message) {
        if (terminal) {
            err.print("\r\033[K");
        }
        err.println("warning: " + message);
        err.flush();
    }

    @Override
    public void tensorDone(int index, int count, TensorResult r, long done) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = secs > 0 ? done / 1e6 / secs : 0;
        if (terminal) {
            int filled = total == 0 ? BAR : (int) (BAR * done / total);
            double eta = rate > 0 ? (total - done) / 1e6 / rate : 0;
            err.print(String.format(Locale.ROOT, "\r\033[K[%s%s] %d/%d tensors  %.1f/%.1f MB  %.1f MB/s  ETA %s",
                    "#".repeat(filled), ".".repeat(BAR - filled), index + 1, count, done / 1e6, total / 1e6, rate,
                    Formats.duration(eta)));
            if (index + 1 == count) {
                err.println();
            }
        } else {
            err.println(String.format(Locale.ROOT, "[%d/%d] %-32s %-5s -> %-7s %12s %s%s", index + 1, count, r.name(),
                    r.sourceType(), r.targetType(), Formats.shape(r.shape()), Formats.mb(r.bytes()),
                    r.note().isEmpty() ? "" : "  (" + r.note() + ")"));
        }
        err.flush();
    }
}
