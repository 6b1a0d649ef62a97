package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ArchitectureSpec;

/**
 * The whole decoder: token embedding, the blocks, the final RMSNorm and the output matrix ({@code output.weight},
 * or the embedding when the model ties them). Built from the spec and the mapped weights; every tensor's
 * shape is checked here, before any computation.
 */
final class Transformer {
    private final ArchitectureSpec spec;
    private final Matrix embedding;
    private final Block[] blocks;
    private final float[] outputNorm;
    private final Matrix output;

    Transformer(ArchitectureSpec spec, Weights w) {
        this.spec = spec;
        int e = spec.embedding();
        this.embedding = w.matrix("token_embd.weight", e, -1);
        int vocab = embedding.rows();
        float[] freqFactors = w.has("rope_freqs.weight")
                ? w.vector("rope_freqs.weight", spec.rope().dimensions() / 2) : null;
        Rope rope = new Rope(spec.rope(), freqFactors);
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
        int e = spec.embedding();
        int vocab = vocabSize();
        float[] x = new float[n * e];
        float[] row = new float[e];
        for (int t = 0; t < n; t++) {
            if (tokens[t] < 0 || tokens[t] >= vocab) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "token id " + tokens[t] + " at index " + t
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
            embedding.read(tokens[t], 1, row);
            System.arraycopy(row, 0, x, t * e, e);
        }
        cache.reserve(pos + n);
        for (Block b : blocks) {
            b.forward(x, n, pos, cache, mm, f16Q, obs);
        }
        int rows = allLogits ? n : 1;
        float[] last = allLogits ? x : java.util.Arrays.copyOfRange(x, (n - 1) * e, n * e);
        RmsNorm.apply(last, rows, e, outputNorm, spec.normEps(), last);
        float[] logits = new float[rows * vocab];
        mm.apply(output, last, rows, logits, obs);
        return logits;
    }
}
