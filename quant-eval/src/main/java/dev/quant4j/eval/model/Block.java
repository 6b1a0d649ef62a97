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
