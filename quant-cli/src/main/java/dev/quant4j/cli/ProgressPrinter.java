package dev.quant4j.cli;

import dev.quant4j.api.spi.Plan;
import dev.quant4j.engine.ProgressListener;
import dev.quant4j.engine.TensorResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders progress on stderr: a one-line bar redrawn in place on a terminal, one line per tensor with {@code -v}.
 * Warnings always show, {@code --quiet} included.
 */
final class ProgressPrinter implements ProgressListener {
    /** How much progress to show: warnings only, the bar (on a terminal), or a line per tensor too. */
    enum Level { QUIET, NORMAL, VERBOSE }

    private static final int BAR = 28;
    private final PrintWriter err;
    private final boolean terminal;
    private final Level level;
    private final long start = System.nanoTime();
    private long total;
    private long lastDraw;
    private int tensorsDone;
    private int tensorCount;

    ProgressPrinter(PrintWriter err, boolean terminal, Level level) {
        this.err = err;
        this.terminal = terminal;
        this.level = level;
    }

    /** {@code --quiet} wins; else -v (INFO logging on) adds the per-tensor lines. */
    static Level level(boolean quiet) {
        if (quiet) {
            return Level.QUIET;
        }
        return org.slf4j.LoggerFactory.getLogger(ProgressPrinter.class).isInfoEnabled() ? Level.VERBOSE : Level.NORMAL;
    }

    static boolean stderrIsTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void planned(Plan plan, long inputBytes) {
        total = inputBytes;
        tensorCount = plan.tensors().size();
        tensorsDone = 0;
    }

    @Override
    public void warning(String message) {
        if (terminal && level != Level.QUIET) {
            err.print("\r\033[K");
        }
        err.println("warning: " + message);
        err.flush();
    }

    /** Redraws the bar within a large tensor, at most every 200 ms. */
    @Override
    public void progress(long done) {
        if (!terminal || level != Level.NORMAL || System.nanoTime() - lastDraw < 200_000_000L) {
            return;
        }
        bar(done, tensorsDone, tensorCount);
        err.flush();
    }

    private void bar(long done, int tensors, int count) {
        lastDraw = System.nanoTime();
        double secs = (lastDraw - start) / 1e9;
        double rate = secs > 0 ? done / 1e6 / secs : 0;
        int filled = total == 0 ? BAR : (int) Math.min(BAR, BAR * done / total);
        double eta = rate > 0 ? (total - done) / 1e6 / rate : 0;
        err.print(String.format(Locale.ROOT, "\r\033[K[%s%s] %d/%d tensors  %.1f/%.1f MB  %.1f MB/s  ETA %s",
                "#".repeat(filled), ".".repeat(BAR - filled), tensors, count, done / 1e6, total / 1e6, rate,
                Formats.duration(eta)));
    }

    @Override
    public void tensorDone(int index, int count, TensorResult r, long done) {
        tensorsDone++; // not index + 1: a tensor waiting for its kernel to warm up finishes after later ones
        tensorCount = count;
        if (level == Level.QUIET || (!terminal && level == Level.NORMAL)) {
            return;
        }
        if (terminal && level == Level.NORMAL) {
            bar(done, tensorsDone, count);
            if (tensorsDone == count) {
                err.println();
            }
        } else {
            err.println(String.format(Locale.ROOT, "[%d/%d] %-32s %-5s -> %-7s %12s %s%s", tensorsDone, count, r.name(),
                    r.sourceType(), r.targetType(), Formats.shape(r.shape()), Formats.mb(r.bytes()),
                    r.note().isEmpty() ? "" : "  (" + r.note() + ")"));
        }
        err.flush();
    }
}
