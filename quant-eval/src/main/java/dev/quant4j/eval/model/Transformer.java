package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ArchitectureSpec;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The whole decoder: token embedding, the blocks, the final RMSNorm and the output matrix ({@code output.weight},
 * or the embedding when the model ties them). Built from the spec and the mapped weights; every tensor's
 * shape is checked here, before any computation.
 */
final class Transformer {
    /** Tokens per parallel piece of the embedding lookup. */
    private static final int EMBED_GRAIN = 64;

    private final ArchitectureSpec spec;
    private final Matrix embedding;
    private final Block[] blocks;
    private final float[] outputNorm;
    private final Matrix output;
    /**
     * The unobserved calls' buffers, kept between calls (softly: the GC may take them) so that a run of many
     * calls (perplexity's batches) allocates its activation arrays, logits and caches once.
     */
    private final AtomicReference<SoftReference<BatchBuffers>> spareBuffers = new AtomicReference<>();
    /** The same for the observed calls' exact-size buffers (imatrix's passes: batches of one size). */
    private final AtomicReference<SoftReference<BatchBuffers>> spareExactBuffers = new AtomicReference<>();

    Transformer(ArchitectureSpec spec, Weights w) {
        this.spec = spec;
        int e = spec.embedding();
        this.embedding = w.matrix("token_embd.weight", e, -1);
        int vocab = embedding.rows();
        float[] freqFactors = w.has("rope_freqs.weight")
                ? w.vector("rope_freqs.weight", spec.rope().dimensions() / 2) : null;
        Rope rope = new Rope(spec.rope(), spec.contextLength(), freqFactors);
        this.blocks = new Block[spec.layers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(l, spec, w, rope);
        }
        this.outputNorm = w.vector("output_norm.weight", e);
        this.output = w.has("output.weight") ? w.matrix("output.weight", e, vocab) : embedding;
    }

    ArchitectureSpec spec() {
        return spec;
    }

    int vocabSize() {
        return embedding.rows();
    }

    /**
     * Runs {@code tokens} at positions {@code pos ..} through the model, filling the cache.
     *
     * @return logits of every token ({@code allLogits}) or of the last one, row-major {@code [rows][vocab]}
     */
    float[] forward(int[] tokens, int pos, KvCache cache, MatMul mm, boolean f16Q, ActivationObserver obs,
                    boolean allLogits) {
        int n = tokens.length;
        float[] x = new float[n * spec.embedding()];
        embed(tokens, x, 0, mm.parallel());
        cache.reserve(pos + n);
        Segments segs = Segments.of(n, pos, cache);
        BatchBuffers buf = new BatchBuffers();
        for (Block b : blocks) {
            b.forward(x, segs, mm, f16Q, obs, buf);
        }
        int rows = allLogits ? n : 1;
        return logits(x, n - rows, rows, mm, obs);
    }

    /**
     * Runs independent sequences, each from position 0 with its own K/V cache, and hands the logits of rows
     * {@code firstRow ..} of each to {@code sink} in order. Consecutive sequences of up to {@code batchTokens}
     * tokens together form one batch that shares every matmul. {@code layerOuter}: every batch goes through a
     * block before any goes through the next (each weight is read once per call; the activations of all
     * sequences are held, in a mapped temporary file beyond {@code residualBudget} bytes), otherwise each batch
     * goes through the whole model before the next starts. Both orders do the same arithmetic on the same
     * batches, so their logits are identical. With an observer each
     * sequence is a batch of its own, run in a {@link Session}'s micro-batches: the observer sees exactly the
     * matmuls (and the arithmetic is exactly that) of a session per sequence — for every weight, the sequences in
     * order; unless the observer {@link ActivationObserver#acceptsSequenceBatches accepts shared batches} and every
     * sequence fits one micro-batch: then they are batched as without an observer (still in order per weight).
     * Without an observer, the last block runs past its keys and values only the rows that are asked for
     * ({@link #lastRows}), and the output matrix runs once for the asked rows of a batch (the same bits as whole
     * blocks and a product per sequence). {@code reuse}: the sink reads the logits during its call only, so their
     * array may be reused; else every array it gets is its own.
     */
    void forwardSequences(List<int[]> seqs, int batchTokens, boolean layerOuter, long residualBudget, int firstRow,
                          Supplier<KvCache> caches, MatMul mm, boolean f16Q, ActivationObserver obs, boolean reuse,
                          ModelRunner.LogitRows sink) {
        // observed, sequences share a batch only when the observer allows it and each fits one micro-batch
        boolean share = obs == ActivationObserver.NONE || obs.acceptsSequenceBatches()
                && seqs.stream().allMatch(q -> q.length <= Session.MICRO_BATCH);
        int limit = share ? batchTokens : 0;
        List<int[]> batches = new ArrayList<>(); // [first sequence, end]
        for (int s = 0; s < seqs.size(); ) {
            int end = s + 1;
            int rows = seqs.get(s).length;
            while (end < seqs.size() && rows + seqs.get(end).length <= limit) {
                rows += seqs.get(end++).length;
            }
            batches.add(new int[] {s, end});
            s = end;
        }
        Output out = new Output(firstRow, mm, obs, reuse, sink);
        BatchBuffers buf = borrowBuffers(obs != ActivationObserver.NONE);
        try {
            run(seqs, batches, layerOuter, residualBudget, caches, f16Q, buf, out);
        } finally {
            returnBuffers(buf);
        }
    }

    private BatchBuffers borrowBuffers(boolean exact) {
        SoftReference<BatchBuffers> kept = (exact ? spareExactBuffers : spareBuffers).getAndSet(null);
        BatchBuffers buf = kept == null ? null : kept.get();
        return buf != null ? buf : new BatchBuffers(exact);
    }

    private void returnBuffers(BatchBuffers buf) {
        (buf.exact() ? spareExactBuffers : spareBuffers).set(new SoftReference<>(buf));
    }

    private void run(List<int[]> seqs, List<int[]> batches, boolean layerOuter, long residualBudget,
                     Supplier<KvCache> caches, boolean f16Q, BatchBuffers buf, Output out) {
        MatMul mm = out.mm;
        ActivationObserver obs = out.obs;
        int last = blocks.length - 1;
        reserve(seqs, batches, out.firstRow, layerOuter, mm.parallel(), buf);
        if (!layerOuter) {
            for (int[] range : batches) {
                List<int[]> part = seqs.subList(range[0], range[1]);
                float[] x = embedAll(part, mm.parallel(), buf);
                for (int l = 0; l < last; l++) {
                    runBlock(blocks[l], x, part, caches, mm, f16Q, obs, buf);
                }
                finish(x, part, range[0], caches, f16Q, buf, out);
            }
            return;
        }
        int[] rows = batches.stream().mapToInt(r -> seqs.subList(r[0], r[1]).stream().mapToInt(q -> q.length).sum())
                .toArray();
        try (Residuals xs = Residuals.of(rows, spec.embedding(), residualBudget)) {
            for (int b = 0; b < batches.size(); b++) {
                int[] range = batches.get(b);
                xs.store(b, embedAll(seqs.subList(range[0], range[1]), mm.parallel(), null));
            }
            for (int l = 0; l < last; l++) {
                stopIfInterrupted();
                for (int b = 0; b < batches.size(); b++) {
                    int[] range = batches.get(b);
                    float[] x = xs.load(b);
                    runBlock(blocks[l], x, seqs.subList(range[0], range[1]), caches, mm, f16Q, obs, buf);
                    xs.store(b, x);
                }
            }
            stopIfInterrupted();
            for (int b = 0; b < batches.size(); b++) {   // the last block, each batch straight to its logits
                int[] range = batches.get(b);
                finish(xs.load(b), seqs.subList(range[0], range[1]), range[0], caches, f16Q, buf, out);
                xs.release(b);
            }
        }
    }

    /** Ctrl-C while layer streaming: stop between blocks (the temporary file is deleted on the way out). */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("interrupted");
        }
    }

    /**
     * Sizes the largest batch's big arrays up front ({@link BatchBuffers#reserve}, made in
     * parallel): the slot the FFN's gate shares with the logits, the FFN's up, the normed input and, unless the
     * residual streams through layers, the residual.
     */
    private void reserve(List<int[]> seqs, List<int[]> batches, int firstRow, boolean layerOuter, Parallel parallel,
                         BatchBuffers buf) {
        int ff = blocks.length > 0 ? blocks[0].feedForwardWidth() : 0;
        long most = 0;
        long mostRows = 0;
        for (int[] range : batches) {
            long rows = 0;
            long asked = 0;
            for (int[] q : seqs.subList(range[0], range[1])) {
                rows += q.length;
                asked += Math.max(0, q.length - firstRow);
            }
            most = Math.max(most, Math.max(rows * ff, Math.min(asked * vocabSize(), LOGITS_FLOATS)));
            mostRows = Math.max(mostRows, rows);
        }
        int width = Math.toIntExact(mostRows * spec.embedding());
        java.util.Map<BatchBuffers.Slot, Integer> sizes = new java.util.EnumMap<>(BatchBuffers.Slot.class);
        sizes.put(BatchBuffers.Slot.GATE, Math.toIntExact(most));
        sizes.put(BatchBuffers.Slot.UP, Math.toIntExact(mostRows * ff));
        sizes.put(BatchBuffers.Slot.NORMED, width);
        if (!layerOuter) {
            sizes.put(BatchBuffers.Slot.RESIDUAL, width);
        }
        buf.reserve(sizes, parallel);
    }

    /** The last block over one batch ({@link #lastRows} when it may leave rows out), then its logits. */
    private void finish(float[] x, List<int[]> part, int firstIndex, Supplier<KvCache> caches, boolean f16Q,
                        BatchBuffers buf, Output out) {
        int[] from = null;
        if (blocks.length > 0) {
            Block last = blocks[blocks.length - 1];
            from = lastRows(last.rowsIndependent(), part, out.firstRow, out.obs, out.mm.kernel().batchTokens());
            if (from == null) {
                runBlock(last, x, part, caches, out.mm, f16Q, out.obs, buf);
            } else {
                Segments segs = segments(part, caches);
                last.forwardRows(x, segs, from, out.mm, f16Q, buf);
                recycle(segs, buf);
            }
        }
        emit(x, part, from, firstIndex, buf, out);
    }

    /**
     * Per sequence the first query row the last block must run so that rows {@code firstRow ..} come out (the
     * {@link CausalBlocks#start} of {@code firstRow}), as llama.cpp runs its last layer on the output rows only; or
     * null to run the whole block: with an observer (it sees every row of every matmul), with experts, when no row
     * would be left out, or when the kept rows would cross the kernel's {@code batchTokens} (another summation
     * order). Every other step is per row or per block of query rows, so the kept rows get the same bits.
     */
    static int[] lastRows(boolean rowsIndependent, List<int[]> part, int firstRow, ActivationObserver obs,
                          int batchTokens) {
        if (obs != ActivationObserver.NONE || firstRow <= 0 || !rowsIndependent) {
            return null;
        }
        int[] from = new int[part.size()];
        int n = 0;
        int kept = 0;
        for (int s = 0; s < from.length; s++) {
            int len = part.get(s).length;
            from[s] = CausalBlocks.start(len, firstRow);
            n += len;
            kept += len - from[s];
        }
        return kept < n && (kept >= batchTokens) == (n >= batchTokens) ? from : null;
    }

    /**
     * One block over one batch. Observed, a batch of one sequence is run in micro-batches of
     * {@link Session#MICRO_BATCH} rows that share the block's K/V cache, as a session runs it.
     */
    private void runBlock(Block block, float[] x, List<int[]> part, Supplier<KvCache> caches, MatMul mm, boolean f16Q,
                          ActivationObserver obs, BatchBuffers buf) {
        if (obs == ActivationObserver.NONE || part.size() > 1) {
            Segments segs = segments(part, caches);
            block.forward(x, segs, mm, f16Q, obs, buf);
            recycle(segs, buf);
            return;
        }
        int len = part.get(0).length;
        int e = spec.embedding();
        KvCache cache = caches.get();
        cache.reserve(len);
        for (int start = 0; start < len; start += Session.MICRO_BATCH) {
            int n = Math.min(Session.MICRO_BATCH, len - start);
            float[] piece = n == len ? x : java.util.Arrays.copyOfRange(x, start * e, (start + n) * e);
            block.forward(piece, Segments.of(n, start, cache), mm, f16Q, obs, buf);
            if (piece != x) {
                System.arraycopy(piece, 0, x, start * e, n * e);
            }
        }
        cache.recycle(buf);
    }

    /** A batch's block is done with its caches (each block runs with caches of its own): their arrays to {@code buf}. */
    private static void recycle(Segments segs, BatchBuffers buf) {
        for (KvCache c : segs.caches()) {
            c.recycle(buf);
        }
    }

    /** Where a call's logits go and how they are computed. */
    private record Output(int firstRow, MatMul mm, ActivationObserver obs, boolean reuse,
                          ModelRunner.LogitRows sink) {
    }

    /** The embeddings of a batch's sequences, one after another: in {@code buf}'s residual array, or a new one. */
    private float[] embedAll(List<int[]> seqs, Parallel parallel, BatchBuffers buf) {
        int rows = 0;
        for (int[] s : seqs) {
            rows += s.length;
        }
        int n = Math.multiplyExact(rows, spec.embedding());
        float[] x = buf == null ? new float[n] : buf.get(BatchBuffers.Slot.RESIDUAL, n);
        int row = 0;
        for (int[] s : seqs) {
            embed(s, x, row, parallel);
            row += s.length;
        }
        return x;
    }

    private static Segments segments(List<int[]> seqs, Supplier<KvCache> caches) {
        int[] lengths = new int[seqs.size()];
        KvCache[] c = new KvCache[seqs.size()];
        for (int s = 0; s < lengths.length; s++) {
            lengths[s] = seqs.get(s).length;
            c[s] = caches.get();
            c[s].reserve(lengths[s]);
        }
        return new Segments(lengths, new int[lengths.length], c);
    }

    /**
     * The logits of rows {@code firstRow ..} of each sequence of a batch to the sink. {@code x} holds rows
     * {@code from[s] ..} of each sequence s one after another ({@code from} null: all rows). Unless the observer
     * {@linkplain ActivationObserver#observes observes} the output matrix, one output product serves consecutive
     * sequences up to {@link #LOGITS_FLOATS} (the weight decoded once for all of them), unless a sequence's rows
     * (observed: a micro-batch's rows) are fewer than the kernel's {@code batchTokens} (a product of their own
     * keeps their bits). An observer that sees the output matrix sees it per sequence and micro-batch, as a
     * session shows it.
     */
    private void emit(float[] x, List<int[]> seqs, int[] from, int firstIndex, BatchBuffers buf, Output out) {
        int count = seqs.size();
        int[] at = new int[count];     // row of x with the sequence's first asked row
        int[] rows = new int[count];
        ActivationObserver obs = out.obs.observes(output.name()) ? out.obs : ActivationObserver.NONE;
        boolean together = obs == ActivationObserver.NONE;
        int batchTokens = out.mm.kernel().batchTokens();
        for (int s = 0, row = 0; s < count; s++) {
            int len = seqs.get(s).length;
            int have = from == null ? 0 : from[s];
            int first = Math.min(out.firstRow, len);
            at[s] = row + first - have;
            rows[s] = len - first;
            row += len - have;
            together &= out.obs == ActivationObserver.NONE ? rows[s] == 0 || rows[s] >= batchTokens
                    : microBatchesKeepBits(len, first, batchTokens);
        }
        int vocab = vocabSize();
        for (int s = 0; s < count; ) {
            if (!together) {
                int first = Math.min(out.firstRow, seqs.get(s).length);
                float[] l = out.obs == ActivationObserver.NONE ? logits(x, at[s], rows[s], out.mm, obs)
                        : microBatchLogits(x, at[s] - first, seqs.get(s).length, first, out.mm, obs);
                out.sink.accept(firstIndex + s, l, 0, l.length);
                s++;
                continue;
            }
            int end = s + 1;
            long n = rows[s];
            while (end < count && (n + rows[end]) * vocab <= LOGITS_FLOATS) {
                n += rows[end++];
            }
            float[] l = n == 0 ? new float[0] : outputRows(x, at, rows, s, end, (int) n, buf, out);   // none asked
            for (int q = s, off = 0; q < end; off += rows[q] * vocab, q++) {
                int length = rows[q] * vocab;
                if (out.reuse || end - s == 1) {
                    out.sink.accept(firstIndex + q, l, off, length);
                } else {   // every sequence its own array
                    out.sink.accept(firstIndex + q, java.util.Arrays.copyOfRange(l, off, off + length), 0, length);
                }
            }
            s = end;
        }
    }

    /**
     * Whether rows {@code first ..} of a sequence of {@code len} rows get the same bits from one output product as
     * from a product per micro-batch: every micro-batch has none of them or at least {@code batchTokens}.
     */
    static boolean microBatchesKeepBits(int len, int first, int batchTokens) {
        for (int start = 0; start < len; start += Session.MICRO_BATCH) {
            int n = Math.min(len, start + Session.MICRO_BATCH) - Math.max(start, first);
            if (n > 0 && n < batchTokens) {
                return false;
            }
        }
        return true;
    }

    /** Floats of logits one output product of {@link #emit} fills at most (256 MB), one sequence at least. */
    private static final long LOGITS_FLOATS = 1L << 26;

    /** Final norm and output product of the asked rows of sequences {@code [s, end)} ({@code n} rows) in one call. */
    private float[] outputRows(float[] x, int[] at, int[] rows, int s, int end, int n, BatchBuffers buf, Output out) {
        int e = spec.embedding();
        float[] h = buf.get(BatchBuffers.Slot.NORMED, n * e);   // free: the last block is done
        for (int q = s, r = 0; q < end; r += rows[q], q++) {
            System.arraycopy(x, at[q] * e, h, r * e, rows[q] * e);
        }
        RmsNorm.apply(out.mm.parallel(), h, n, e, outputNorm, spec.normEps(), h);
        int size = Math.multiplyExact(n, vocabSize());
        float[] logits = out.reuse ? buf.get(BatchBuffers.Slot.LOGITS, size) : new float[size];
        out.mm.apply(output, h, n, logits, ActivationObserver.NONE);   // only when the observer does not look
        return logits;
    }

    /** Rows {@code from ..} of a sequence's logits, the output matmul run per micro-batch as a session runs it. */
    private float[] microBatchLogits(float[] x, int row, int len, int from, MatMul mm, ActivationObserver obs) {
        int vocab = vocabSize();
        float[] out = new float[Math.multiplyExact(len - from, vocab)];
        for (int start = 0; start < len; start += Session.MICRO_BATCH) {
            int first = Math.max(start, from);
            int end = Math.min(len, start + Session.MICRO_BATCH);
            if (first < end) {
                float[] l = logits(x, row + first, end - first, mm, obs);
                System.arraycopy(l, 0, out, (first - from) * vocab, l.length);
            }
        }
        return out;
    }

    /** Embedding rows of {@code tokens} into {@code x} from row {@code row}, decoded in parallel. */
    private void embed(int[] tokens, float[] x, int row, Parallel parallel) {
        int e = spec.embedding();
        int vocab = vocabSize();
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= vocab) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "token id " + tokens[t] + " at index " + t
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        parallel.range(tokens.length, EMBED_GRAIN, (from, to) -> {
            float[] r = new float[e];
            for (int t = from; t < to; t++) {
                embedding.read(tokens[t], 1, r);
                System.arraycopy(r, 0, x, (row + t) * e, e);
            }
        });
    }

    /** Final norm and output projection of rows {@code [first, first + rows)} of {@code x}. */
    private float[] logits(float[] x, int first, int rows, MatMul mm, ActivationObserver obs) {
        int e = spec.embedding();
        float[] h = java.util.Arrays.copyOfRange(x, first * e, (first + rows) * e);
        RmsNorm.apply(mm.parallel(), h, rows, e, outputNorm, spec.normEps(), h);
        float[] logits = new float[Math.multiplyExact(rows, vocabSize())];
        mm.apply(output, h, rows, logits, obs);
        return logits;
    }
}
