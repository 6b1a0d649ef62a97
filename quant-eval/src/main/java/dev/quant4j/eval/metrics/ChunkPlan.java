package dev.quant4j.eval.metrics;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.util.Arrays;

/**
 * How llama-perplexity, llama-imatrix and the KL-divergence runs cut a token stream: chunk k is tokens
 * {@code [k*nCtx, (k+1)*nCtx)} with its first token replaced by BOS (when the vocabulary adds one); the number of
 * chunks is {@code min(--chunks, floor(nTokens / nCtx))}; positions {@code first = nCtx/2 .. nCtx-2} of each
 * chunk are scored (position j predicts token j+1).
 *
 * @param nCtx   tokens per chunk ({@code -c})
 * @param chunks chunks to evaluate
 */
public record ChunkPlan(int nCtx, int chunks) {
    public ChunkPlan {
        if (nCtx < 3) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "context size " + nCtx
                    + " leaves no position to score; use -c 3 or more (llama.cpp's default is 512)");
        }
        if (chunks < 1) {
            throw new QuantException(ErrorCode.INVALID_OPTION, chunks + " chunks: at least one is needed");
        }
    }

    /**
     * The plan for {@code nTokens} tokens. Like llama-perplexity, at least {@code 2*nCtx} tokens are required.
     *
     * @param maxChunks {@code --chunks}; negative means all
     */
    public static ChunkPlan of(int nTokens, int nCtx, int maxChunks) {
        if (nCtx < 3) {
            new ChunkPlan(nCtx, 1); // throws with the message
        }
        if (nTokens < 2L * nCtx) {
            throw new QuantException(ErrorCode.MISSING_CALIBRATION, "you need at least " + 2L * nCtx
                    + " tokens to evaluate with a context of " + nCtx + "; the text tokenizes to only " + nTokens
                    + " tokens (use a longer text or a smaller -c)");
        }
        int max = nTokens / nCtx;
        return new ChunkPlan(nCtx, maxChunks < 0 ? max : Math.min(maxChunks, max));
    }

    /**
     * How many of a text's first tokens decide {@link #of} and every chunk of the plan for {@code --chunks maxChunks}
     * ({@code Tokenizer.encodeUtf8Prefix}'s {@code minTokens}): {@code max(maxChunks, 2) * nCtx}, as {@link #of}
     * needs {@code 2 * nCtx} tokens; all ({@link Integer#MAX_VALUE}) when {@code maxChunks} is negative.
     */
    public static int tokensNeeded(int nCtx, int maxChunks) {
        return maxChunks < 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, (long) Math.max(maxChunks, 2) * nCtx);
    }

    /** First scored position, {@code nCtx / 2}. */
    public int first() {
        return nCtx / 2;
    }

    /** Tokens scored per chunk, {@code nCtx - 1 - nCtx/2}. */
    public int scoredPerChunk() {
        return nCtx - 1 - first();
    }

    /** Tokens the chunks cover, {@code chunks * nCtx}. */
    public int tokensUsed() {
        return chunks * nCtx;
    }

    /** The original tokens of chunk {@code k} (targets are read from these). */
    public int[] original(int[] tokens, int k) {
        int start = Math.multiplyExact(k, nCtx);
        return Arrays.copyOfRange(tokens, start, start + nCtx);
    }

    /** The tokens fed to the model for chunk {@code k}: the original ones with the first replaced by {@code bos} (if {@code bos >= 0}). */
    public int[] input(int[] tokens, int k, int bos) {
        int[] c = original(tokens, k);
        if (bos >= 0) {
            c[0] = bos;
        }
        return c;
    }
}
