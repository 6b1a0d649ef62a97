package dev.quant4j.engine;

import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Future;

/**
 * Tensors whose quantizer is still cold ({@code Quantizer.warm()} false: its search runs the slow scalar form
 * until the JIT has compiled the vector one), postponed while warm tensors come later in the file. Writes are
 * positional, so the order of quantizing does not change a byte. Until its quantizer warms up, a postponed
 * tensor trickles: one small part at a time among the warm tensors' chunks, which gives its kernel the calls
 * the JIT needs to compile it without holding up the pool; once warm, the rest is queued at once. Example:
 * Q4_0 files start with {@code output.weight} at Q6_K (13 % of the values); quantized first, it ran mostly
 * through the scalar Q6_K search while the JIT compiled the vector one.
 */
final class ColdTensors {
    /** Registers a fully queued tensor with the finisher. */
    @FunctionalInterface
    interface Queued {
        void done(Cold c);
    }

    /** A postponed tensor: rows {@code [0, next)} are queued. */
    static final class Cold {
        final TensorStep step;
        final TensorView view;
        final int index;
        final long t0;
        final TensorWriter.Pending pending;
        long next;

        Cold(TensorStep step, TensorView view, int index, long t0, TensorWriter.Pending pending) {
            this.step = step;
            this.view = view;
            this.index = index;
            this.t0 = t0;
            this.pending = pending;
        }

        /** The last trickled part is still being quantized. */
        boolean busy() {
            List<Future<TensorWriter.Chunk>> chunks = pending.chunks();
            return !chunks.isEmpty() && !chunks.getLast().isDone();
        }
    }

    private final TensorWriter tw;
    private final ModelWriter writer;
    private final Queued queued;
    private final Queue<Cold> waiting = new ArrayDeque<>();

    ColdTensors(TensorWriter tw, ModelWriter writer, Queued queued) {
        this.tw = tw;
        this.writer = writer;
        this.queued = queued;
    }

    /**
     * True when tensor {@code i} should wait: its quantizer is cold and a later tensor (not yet written) has a
     * warm one to keep the pool busy meanwhile.
     */
    static boolean shouldWait(List<TensorStep> steps, int i, java.util.Set<Integer> written) {
        if (!chunked(steps.get(i)) || steps.get(i).quantizer().warm()) {
            return false;
        }
        for (int j = i + 1; j < steps.size(); j++) {
            TensorStep s = steps.get(j);
            if (chunked(s) && !written.contains(j) && s.quantizer().warm()) {
                return true;
            }
        }
        return false;
    }

    private static boolean chunked(TensorStep s) {
        return !s.isCopy() && s.rowIndependent();
    }

    void postpone(TensorStep step, TensorView view, int index, long t0) {
        waiting.add(new Cold(step, view, index, t0, tw.begin(step, view, view, writer, index)));
    }

    /**
     * Called between parts of the warm work: queues every waiting tensor whose quantizer has warmed up, else gives
     * the first one its next small part when the previous part is done.
     */
    void trickle() throws InterruptedException {
        Cold c;
        while ((c = waiting.peek()) != null) {
            if (c.step.quantizer().warm()) {
                queue(c, c.view.rows());
                continue;
            }
            if (!c.busy()) {
                queue(c, Math.min(c.view.rows(), c.next + partRows(c.view)));
            }
            return;
        }
    }

    /** Queues the rest of every waiting tensor (the warm work is all queued, or something must go after them). */
    void flush() throws InterruptedException {
        Cold c;
        while ((c = waiting.peek()) != null) {
            queue(c, c.view.rows());
        }
    }

    private void queue(Cold c, long to) throws InterruptedException {
        tw.queueRows(c.step, c.view, c.view, writer, c.index, c.pending, c.next, to);
        c.next = to;
        if (to == c.view.rows()) {
            waiting.remove();
            queued.done(c);
        }
    }

    /**
     * A trickled part: one chunk. The JIT compiles a kernel after enough calls (one per row here); an eighth of a
     * chunk per part was too few calls under load (the Q6_K search was still uncompiled when the warm work ran out).
     */
    private static long partRows(TensorView v) {
        return TensorWriter.chunkRows(v.rowLength());
    }
}
