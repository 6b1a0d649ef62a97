package dev.quant4j.eval.metrics;

import dev.quant4j.api.io.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.IntStream;

/**
 * Writes llama-perplexity's {@code --kl-divergence-base} file chunk by chunk (the file holds 2 bytes per vocabulary
 * entry per scored token, gigabytes for large vocabularies, so nothing but one row is ever buffered). Layout,
 * little-endian: the 8 bytes {@code _logits_}; int32 n_ctx, n_vocab, n_chunk; the n_chunk * n_ctx original
 * evaluation tokens as int32 (before BOS replacement); then for every chunk and every scored position
 * ({@code n_ctx/2 .. n_ctx-2}) one {@link CompressedLogProbs} row. Output goes to {@code FILE.tmp} and is renamed
 * by {@link #commit()}; closing without commit deletes it.
 */
public final class KldBaseWriter implements Closeable {
    static final byte[] MAGIC = {'_', 'l', 'o', 'g', 'i', 't', 's', '_'};

    private final Path file;
    private final Path temp;
    private final FileChannel channel;
    private final ChunkPlan plan;
    private final int nVocab;
    /** Rows encoded at once: enough for the threads, small for the heap (16 rows of 2 bytes per vocabulary entry). */
    private static final int BATCH = 16;
    private final ByteBuffer[] rowBuffers;
    private int written;
    private boolean committed;

    private KldBaseWriter(Path file, Path temp, FileChannel channel, ChunkPlan plan, int nVocab) {
        this.file = file;
        this.temp = temp;
        this.channel = channel;
        this.plan = plan;
        this.nVocab = nVocab;
        this.rowBuffers = new ByteBuffer[BATCH];
        for (int i = 0; i < BATCH; i++) {
            rowBuffers[i] = ByteBuffer.allocateDirect(Math.toIntExact(CompressedLogProbs.rowBytes(nVocab)))
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Starts {@code file} (as {@code file.tmp}) and writes the header with the first {@code plan.tokensUsed()} tokens. */
    public static KldBaseWriter create(Path file, ChunkPlan plan, int nVocab, int[] tokens) throws IOException {
        if (tokens.length < plan.tokensUsed()) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + plan.chunks() + " chunks of " + plan.nCtx());
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        KldBaseWriter w = new KldBaseWriter(file, temp, ch, plan, nVocab);
        try {
            ByteBuffer header = ByteBuffer.allocate(Math.toIntExact(headerBytes(plan))).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(plan.nCtx()).putInt(nVocab).putInt(plan.chunks());
            for (int i = 0; i < plan.tokensUsed(); i++) {
                header.putInt(tokens[i]);
            }
            w.write(header.flip());
            return w;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    static long headerBytes(ChunkPlan plan) {
        return 8 + 12 + 4L * plan.tokensUsed();
    }

    /**
     * Appends the next chunk's compressed log-probabilities and returns the chunk's NLLs as llama-perplexity
     * computes them in this mode (float arithmetic), for the perplexity it prints alongside.
     *
     * @param logits      rows {@code firstRow ..} of the chunk's logits ({@code nVocab} per row)
     * @param chunkTokens the chunk's original tokens
     */
    public double[] writeChunk(float[] logits, int firstRow, int[] chunkTokens) throws IOException {
        return writeChunk(logits, 0, firstRow, chunkTokens);
    }

    /** {@link #writeChunk(float[], int, int[])} with the logits' first row at {@code logits[offset]}. */
    public double[] writeChunk(float[] logits, int offset, int firstRow, int[] chunkTokens) throws IOException {
        if (written >= plan.chunks()) {
            throw new IllegalStateException("all " + plan.chunks() + " chunks are written already");
        }
        PerplexityAccumulator.checkChunk(plan, nVocab, logits, offset, firstRow, chunkTokens);
        int rows = plan.scoredPerChunk();
        int first = plan.first();
        double[] nll = new double[rows];
        // encoded in parallel batches of rows, written in order (bounded memory: one batch of rows)
        for (int b0 = 0; b0 < rows; b0 += BATCH) {
            int b = b0;
            int n = Math.min(BATCH, rows - b0);
            IntStream.range(0, n).parallel().forEach(i -> {
                ByteBuffer dst = rowBuffers[i].clear();
                nll[b + i] = CompressedLogProbs.encode(logits, offset + (first + b + i - firstRow) * nVocab, nVocab,
                        chunkTokens[first + b + i + 1], dst);
                dst.flip();
            });
            for (int i = 0; i < n; i++) {
                write(rowBuffers[i]);
            }
        }
        written++;
        return nll;
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Closes the file and renames it to its final name; every chunk of the plan must have been written. */
    public void commit() throws IOException {
        if (written != plan.chunks()) {
            throw new IllegalStateException(written + " of " + plan.chunks() + " chunks written; the base file would be short");
        }
        channel.close();
        AtomicFiles.replace(temp, file);
        committed = true;
    }

    /** Closes; without a commit the partial file is deleted. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public Path file() {
        return file;
    }
}
