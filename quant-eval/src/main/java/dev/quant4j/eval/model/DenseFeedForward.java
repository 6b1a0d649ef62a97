package dev.quant4j.eval.model;

/** {@code down(silu(gate · h) * (up · h))}. */
final class DenseFeedForward implements FeedForward {
    private final Matrix gate;
    private final Matrix up;
    private final Matrix down;

    DenseFeedForward(int layer, int embedding, Weights w) {
        String p = "blk." + layer + ".";
        this.gate = w.matrix(p + "ffn_gate.weight", embedding, -1);
        this.up = w.matrix(p + "ffn_up.weight", embedding, gate.rows());
        this.down = w.matrix(p + "ffn_down.weight", gate.rows(), embedding);
    }

    int width() {
        return gate.rows();
    }

    @Override
    public void forward(float[] h, int n, MatMul mm, ActivationObserver obs, float[] x) {
        forward(h, n, mm, obs, x, new BatchBuffers());
    }

    @Override
    public void forward(float[] h, int n, MatMul mm, ActivationObserver obs, float[] x, BatchBuffers buf) {
        int ff = gate.rows();
        float[] g = buf.get(BatchBuffers.Slot.GATE, n * ff);
        float[] u = buf.get(BatchBuffers.Slot.UP, n * ff);
        mm.apply(gate, h, n, g, obs);
        mm.apply(up, h, n, u, obs);
        mm.parallel().range(n * ff, Elementwise.GRAIN, (from, to) -> mm.activations().swiglu(g, u, from, to));
        float[] d = buf.get(BatchBuffers.Slot.DOWN, n * down.rows());   // may be h's array: h is done with
        mm.apply(down, g, n, d, obs);
        Elementwise.add(mm.parallel(), x, d, n * down.rows());
    }
}
