package dev.quant4j.eval.model;

import dev.quant4j.api.spi.ArchitectureSpec;

/** One transformer block: {@code x += attn(norm(x)); x += ffn(norm(x))}. */
final class Block {
    private final float[] attnNorm;
    private final float[] ffnNorm;
    private final Attention attention;
    private final FeedForward ffn;
    private final int embedding;
    private final float eps;

    Block(int layer, ArchitectureSpec spec, Weights w, Rope rope) {
        String p = "blk." + layer + ".";
        this.embedding = spec.embedding();
        this.eps = spec.normEps();
        this.attnNorm = w.vector(p + "attn_norm.weight", embedding);
        this.ffnNorm = w.vector(p + "ffn_norm.weight", embedding);
        this.attention = new Attention(layer, spec, w, rope);
        this.ffn = spec.experts().present()
                ? new MixtureOfExperts(layer, embedding, spec.experts(), w)
                : new DenseFeedForward(layer, embedding, w);
    }

    /** The dense FFN's hidden width (the rows of its gate and up arrays per token), 0 with experts. */
    int feedForwardWidth() {
        return ffn instanceof DenseFeedForward d ? d.width() : 0;
    }

    /**
     * Whether {@link #forwardRows} may leave rows out: not with experts, whose matmuls see the tokens routed to
     * them, so a subset of rows could move an expert's batch across the kernel's
     * {@link dev.quant4j.kernels.MatTile#batchTokens} and change bits.
     */
    boolean rowsIndependent() {
        return ffn instanceof DenseFeedForward;
    }

    /**
     * The block for rows {@code from[s] ..} of each segment s only (each a {@link CausalBlocks#start}), past the keys
     * and values of all rows: afterwards the first (returned) rows of {@code x} hold those rows' outputs in order.
     * The same bits as {@link #forward} when the kept rows and the batch are on the same side of the kernel's
     * {@link dev.quant4j.kernels.MatTile#batchTokens} (every other step is per row or per block of query rows).
     */
    int forwardRows(float[] x, Segments segs, int[] from, MatMul mm, boolean f16Q, BatchBuffers buf) {
        int n = segs.rows();
        float[] h = buf.get(BatchBuffers.Slot.NORMED, n * embedding);
        RmsNorm.apply(mm.parallel(), x, n, embedding, attnNorm, eps, h);
        float[] o = attention.forward(h, segs, from, mm, f16Q, ActivationObserver.NONE, buf);
        int m = segs.keep(x, embedding, from);
        RmsNorm.addThenApply(mm.parallel(), x, o, m, embedding, ffnNorm, eps, h);
        ffn.forward(h, m, mm, ActivationObserver.NONE, x, buf);
        return m;
    }

    /** Runs the block over the batch's rows of {@code x} in place, its arrays taken from {@code buf}. */
    void forward(float[] x, Segments segs, MatMul mm, boolean f16Q, ActivationObserver obs, BatchBuffers buf) {
        int n = segs.rows();
        float[] h = buf.get(BatchBuffers.Slot.NORMED, n * embedding);
        RmsNorm.apply(mm.parallel(), x, n, embedding, attnNorm, eps, h);
        float[] o = attention.forward(h, segs, mm, f16Q, obs, buf);
        RmsNorm.addThenApply(mm.parallel(), x, o, n, embedding, ffnNorm, eps, h);   // one parallel phase, not two
        ffn.forward(h, n, mm, obs, x, buf);
    }
}
