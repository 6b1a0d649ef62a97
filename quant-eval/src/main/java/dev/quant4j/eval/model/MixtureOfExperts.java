package dev.quant4j.eval.model;

import dev.quant4j.api.spi.ArchitectureSpec.Experts;
import java.util.Arrays;

/**
 * Mixtral / Qwen3-MoE routing: router logits {@code ffn_gate_inp · h}, softmax over all experts, the top-k
 * experts by probability, their weights renormalised to sum 1 (when the spec says so); each expert runs a
 * SwiGLU FFN on only the tokens routed to it, and a token's output is the weighted sum over its k slots.
 */
final class MixtureOfExperts implements FeedForward {
    private final Matrix router;
    private final Matrix[] gate;
    private final Matrix[] up;
    private final Matrix[] down;
    private final Experts experts;
    private final int embedding;

    MixtureOfExperts(int layer, int embedding, Experts experts, Weights w) {
        String p = "blk." + layer + ".";
        int e = experts.count();
        this.experts = experts;
        this.embedding = embedding;
        this.router = w.matrix(p + "ffn_gate_inp.weight", embedding, e);
        this.gate = w.experts(p + "ffn_gate_exps.weight", embedding, -1, e);
        int ff = gate[0].rows();
        this.up = w.experts(p + "ffn_up_exps.weight", embedding, ff, e);
        this.down = w.experts(p + "ffn_down_exps.weight", ff, embedding, e);
    }

    @Override
    public void forward(float[] h, int n, MatMul mm, ActivationObserver obs, float[] x) {
        int count = experts.count();
        int k = experts.used();
        float[] logits = new float[n * count];
        mm.apply(router, h, n, logits, obs);
        int[] chosen = new int[n * k];
        float[] weight = new float[n * k];
        for (int t = 0; t < n; t++) {
            route(logits, t * count, count, k, chosen, weight, t * k);
        }
        // each (token, slot) pair's expert output, combined in slot order afterwards
        float[] slotOut = new float[n * k * embedding];
        int ff = gate[0].rows();
        for (int e = 0; e < count; e++) {
            int[] slots = slotsOf(chosen, e);
            int m = slots.length;
            if (m == 0) {
                continue;
            }
            float[] in = new float[m * embedding];
            for (int i = 0; i < m; i++) {
                System.arraycopy(h, (slots[i] / k) * embedding, in, i * embedding, embedding);
            }
            float[] g = new float[m * ff];
            float[] u = new float[m * ff];
            mm.apply(gate[e], in, m, g, obs);
            mm.apply(up[e], in, m, u, obs);
            mm.activations().swiglu(g, u, m * ff);
            float[] d = new float[m * embedding];
            mm.apply(down[e], g, m, d, obs);
            for (int i = 0; i < m; i++) {
                float wgt = weight[slots[i]];
                int o = slots[i] * embedding;
                for (int j = 0; j < embedding; j++) {
                    slotOut[o + j] = d[i * embedding + j] * wgt;
                }
            }
        }
        for (int t = 0; t < n; t++) {
            for (int s = 0; s < k; s++) {
                int o = (t * k + s) * embedding;
                for (int j = 0; j < embedding; j++) {
                    x[t * embedding + j] += slotOut[o + j];
                }
            }
        }
    }

    /** Softmax over the row, then the k most probable experts (ties to the lower index) and their weights. */
    private void route(float[] logits, int off, int count, int k, int[] chosen, float[] weight, int at) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, logits[off + i]);
        }
        float[] p = new float[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            p[i] = (float) Math.exp(logits[off + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < count; i++) {
            p[i] = (float) (p[i] / sum);
        }
        boolean[] taken = new boolean[count];
        float total = 0;
        for (int s = 0; s < k; s++) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (!taken[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            chosen[at + s] = best;
            weight[at + s] = p[best];
            total += p[best];
        }
        if (experts.normalizeWeights()) {
            for (int s = 0; s < k; s++) {
                weight[at + s] /= total;
            }
        }
    }

    /** Indices into {@code chosen} (token * k + slot) that picked expert {@code e}, in token order. */
    private static int[] slotsOf(int[] chosen, int e) {
        int[] out = new int[chosen.length];
        int m = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] == e) {
                out[m++] = i;
            }
        }
        return Arrays.copyOf(out, m);
    }
}
