package dev.quant4j.cli;

import dev.quant4j.eval.metrics.ChunkListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints llama.cpp's per-chunk text to stdout and, when stderr is a terminal that does not also show that text
 * (--json, or stdout redirected), a progress line on stderr redrawn in place: chunks done, tokens per second, time
 * left.
 */
final class ChunkProgress implements ChunkListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean printText;
    private final boolean newlinePerChunk;
    private final boolean terminal;
    private final int tokensPerChunk;

    ChunkProgress(PrintWriter out, PrintWriter err, boolean printText, boolean newlinePerChunk, int tokensPerChunk) {
        this.out = out;
        this.err = err;
        this.printText = printText;
        this.newlinePerChunk = newlinePerChunk;
        // on a terminal showing the per-chunk estimates, those are the progress; a redrawn line would garble them
        this.terminal = Terminals.stderr() && (!printText || !Terminals.stdout());
        this.tokensPerChunk = tokensPerChunk;
    }

    @Override
    public void chunkDone(int chunk, int chunks, long nanos, String text) {
        if (printText) {
            if (newlinePerChunk) {
                out.println(text);
            } else {
                out.print(text);
            }
            out.flush();
        }
        if (terminal) {
            double s = nanos / 1e9;
            double tps = chunk * (double) tokensPerChunk / Math.max(s, 1e-9);
            double eta = s / chunk * (chunks - chunk);
            err.print(String.format(Locale.ROOT, "\r\033[K[%d/%d] %.0f tokens/s, ETA %.0f s", chunk, chunks, tps, eta));
            if (chunk == chunks) {
                err.print("\r\033[K");
            }
            err.flush();
        }
    }
}
