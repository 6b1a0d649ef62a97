package dev.quant4j.eval.metrics;

import dev.quant4j.api.error.CorruptFormatException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a {@code --kl-divergence-base} file (layout in {@link KldBaseWriter}) as llama-perplexity does: the header
 * and tokens at once, then one chunk of compressed rows at a time. Unlike llama.cpp, the file size is checked
 * against the header before anything else, so a truncated or foreign file fails with its offset named.
 */
public final class KldBaseReader implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final ChunkPlan plan;
    private final int nVocab;
    private final int[] tokens;
    private final ByteBuffer chunkBuffer;
    private long position;
    private int chunksRead;

    private KldBaseReader(Path file, FileChannel channel, ChunkPlan plan, int nVocab, int[] tokens, long position) {
        this.file = file;
        this.channel = channel;
        this.plan = plan;
        this.nVocab = nVocab;
        this.tokens = tokens;
        this.position = position;
        this.chunkBuffer = ByteBuffer.allocate(Math.toIntExact(plan.scoredPerChunk() * CompressedLogProbs.rowBytes(nVocab)))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    public static KldBaseReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer head = read(file, ch, 0, 20, "header");
            byte[] magic = new byte[8];
            head.get(magic);
            if (!Arrays.equals(magic, KldBaseWriter.MAGIC)) {
                throw new CorruptFormatException(file, 0, "magic", "does not start with _logits_: not a "
                        + "llama-perplexity --kl-divergence-base file");
            }
            int nCtx = head.getInt();
            int nVocab = head.getInt();
            int nChunk = head.getInt();
            if (nCtx < 3) {
                throw new CorruptFormatException(file, 8, "n_ctx", "context size " + nCtx);
            }
            if (nVocab < 1) {
                throw new CorruptFormatException(file, 12, "n_vocab", "vocabulary size " + nVocab);
            }
            if (nChunk < 1) {
                throw new CorruptFormatException(file, 16, "n_chunk", nChunk + " chunks");
            }
            ChunkPlan plan = new ChunkPlan(nCtx, nChunk);
            long expected = KldBaseWriter.headerBytes(plan)
                    + (long) nChunk * plan.scoredPerChunk() * CompressedLogProbs.rowBytes(nVocab);
            if (size != expected) {
                throw new CorruptFormatException(file, Math.min(size, expected), "file size", "n_ctx " + nCtx
                        + ", n_vocab " + nVocab + " and " + nChunk + " chunks make " + expected + " bytes, the file has "
                        + size + (size < expected ? " (truncated)" : ""));
            }
            if ((long) nCtx * nChunk > Integer.MAX_VALUE - 8) {
                throw new CorruptFormatException(file, 16, "n_chunk", "too many tokens: " + (long) nCtx * nChunk);
            }
            int[] tokens = new int[nCtx * nChunk];
            read(file, ch, 20, 4L * tokens.length, "tokens").asIntBuffer().get(tokens);
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i] < 0 || tokens[i] >= nVocab) {
                    throw new CorruptFormatException(file, 20 + 4L * i, "token " + i, "id " + tokens[i]
                            + " outside the vocabulary of " + nVocab);
                }
            }
            return new KldBaseReader(file, ch, plan, nVocab, tokens, KldBaseWriter.headerBytes(plan));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static ByteBuffer read(Path file, FileChannel ch, long at, long n, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n)).order(ByteOrder.LITTLE_ENDIAN);
        long pos = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new CorruptFormatException(file, pos, what, "file ends early");
            }
            pos += r;
        }
        return b.flip();
    }

    /** The chunking the base was computed with (n_ctx and chunk count from the header). */
    public ChunkPlan plan() {
        return plan;
    }

    public int vocabSize() {
        return nVocab;
    }

    /** All evaluation tokens (original, before BOS replacement), {@code n_chunk * n_ctx} of them. */
    public int[] tokens() {
        return tokens.clone();
    }

    /** Reads the next chunk's rows. */
    public BaseChunk nextChunk() throws IOException {
        if (chunksRead >= plan.chunks()) {
            throw new EOFException(file + ": all " + plan.chunks() + " chunks are read");
        }
        chunkBuffer.clear();
        long start = position;
        while (chunkBuffer.hasRemaining()) {
            int r = channel.read(chunkBuffer, position);
            if (r < 0) {
                throw new CorruptFormatException(file, position, "chunk " + chunksRead, "file ends early");
            }
            position += r;
        }
        chunkBuffer.flip();
        int rows = plan.scoredPerChunk();
        float[] scales = new float[rows];
        float[] mins = new float[rows];
        short[] codes = new short[rows * nVocab];
        int padded = CompressedLogProbs.rowShorts(nVocab) - 4;
        for (int r = 0; r < rows; r++) {
            scales[r] = chunkBuffer.getFloat();
            mins[r] = chunkBuffer.getFloat();
            if (!Float.isFinite(scales[r]) || !Float.isFinite(mins[r])) {
                throw new CorruptFormatException(file, start + r * CompressedLogProbs.rowBytes(nVocab), "chunk "
                        + chunksRead + " row " + r, "non-finite scale " + scales[r] + " or minimum " + mins[r]);
            }
            chunkBuffer.asShortBuffer().get(codes, r * nVocab, nVocab);
            chunkBuffer.position(chunkBuffer.position() + 2 * padded);
        }
        chunksRead++;
        return new BaseChunk(nVocab, scales, mins, codes);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
