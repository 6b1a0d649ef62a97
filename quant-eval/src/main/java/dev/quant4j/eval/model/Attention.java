package dev.quant4j.eval.model;

import dev.quant4j.api.spi.ArchitectureSpec;

/**
 * One block's self-attention: q/k/v projections (+ biases when present), optional per-head q/k RMSNorm, RoPE,
 * the K/V cache, causal softmax attention with grouped-query heads, and the output projection.
 */
final class Attention {
    private final int layer;
    private final Matrix wq;
    private final Matrix wk;
    private final Matrix wv;
    private final Matrix wo;
    private final float[] bq;
    private final float[] bk;
    private final float[] bv;
    private final float[] bo;
    private final float[] qNorm;
    private final float[] kNorm;
    private final Rope rope;
    private final int heads;
    private final int headsKv;
    private final int keyLength;
    private final int valueLength;
    private final float eps;
    private final float scale;

    Attention(int layer, ArchitectureSpec spec, Weights w, Rope rope) {
        String p = "blk." + layer + ".";
        this.layer = layer;
        this.heads = spec.heads();
        this.headsKv = spec.headsKv();
        this.keyLength = spec.keyLength();
        this.valueLength = spec.valueLength();
        this.eps = spec.normEps();
        this.rope = rope;
        int e = spec.embedding();
        this.wq = w.matrix(p + "attn_q.weight", e, heads * keyLength);
        this.wk = w.matrix(p + "attn_k.weight", e, headsKv * keyLength);
        this.wv = w.matrix(p + "attn_v.weight", e, headsKv * valueLength);
        this.wo = w.matrix(p + "attn_output.weight", heads * valueLength, e);
        // llama.cpp treats these biases as optional for llama and required for qwen2
        this.bq = spec.qkvBias() || w.has(p + "attn_q.bias") ? w.vector(p + "attn_q.bias", heads * keyLength) : null;
        this.bk = spec.qkvBias() || w.has(p + "attn_k.bias") ? w.vector(p + "attn_k.bias", headsKv * keyLength) : null;
        this.bv = spec.qkvBias() || w.has(p + "attn_v.bias") ? w.vector(p + "attn_v.bias", headsKv * valueLength) : null;
        this.bo = w.has(p + "attn_output.bias") ? w.vector(p + "attn_output.bias", e) : null;
        this.qNorm = spec.qkNorm() ? w.vector(p + "attn_q_norm.weight", keyLength) : null;
        this.kNorm = spec.qkNorm() ? w.vector(p + "attn_k_norm.weight", keyLength) : null;
        this.scale = (float) (1.0 / Math.sqrt(keyLength));
    }

    /** Adds attention over {@code h} (the normed input, {@code n} rows at positions {@code pos ..}) to {@code x}. */
    void forward(float[] h, int n, int pos, KvCache cache, MatMul mm, boolean f16Q, ActivationObserver obs,
                 float[] x) {
        float[] q = project(mm, wq, bq, h, n, obs);
        float[] k = project(mm, wk, bk, h, n, obs);
        float[] v = project(mm, wv, bv, h, n, obs);
        if (qNorm != null) {
            RmsNorm.apply(q, n * heads, keyLength, qNorm, eps, q);
            RmsNorm.apply(k, n * headsKv, keyLength, kNorm, eps, k);
        }
        rope.apply(q, n, heads, keyLength, pos);
        rope.apply(k, n, headsKv, keyLength, pos);
        cache.store(layer, pos, k, v, n);
        if (f16Q) {
            q = MatMul.roundToF16(q, q.length);
        }
        float[] out = new float[n * heads * valueLength];
        attend(q, n, pos, cache, mm, out);
        float[] o = project(mm, wo, bo, out, n, obs);
        for (int i = 0; i < o.length; i++) {
            x[i] += o[i];
        }
    }

    private void attend(float[] q, int n, int pos, KvCache cache, MatMul mm, float[] out) {
        float[] keys = cache.keys(layer);
        float[] values = cache.values(layer);
        int group = heads / headsKv;
        int kw = headsKv * keyLength;
        int vw = headsKv * valueLength;
        mm.parallel().forEach(n * heads, () -> new float[pos + n], (item, scores) -> {
            int t = item / heads;
            int hd = item % heads;
            int kvh = hd / group;
            int len = pos + t + 1;
            int qo = (t * heads + hd) * keyLength;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                float s = mm.kernel().dot(q, qo, keys, j * kw + kvh * keyLength, keyLength) * scale;
                scores[j] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int j = 0; j < len; j++) {
                float e = (float) Math.exp(scores[j] - max);
                scores[j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            int oo = (t * heads + hd) * valueLength;
            for (int j = 0; j < len; j++) {
                float p = scores[j] * inv;
                int vo = j * vw + kvh * valueLength;
                for (int d = 0; d < valueLength; d++) {
                    out[oo + d] += p * values[vo + d];
                }
            }
        });
    }

    private static float[] project(MatMul mm, Matrix w, float[] bias, float[] in, int n, ActivationObserver obs) {
        float[] out = new float[n * w.rows()];
        mm.apply(w, in, n, out, obs);
        if (bias != null) {
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < bias.length; i++) {
                    out[t * bias.length + i] += bias[i];
                }
            }
        }
        return out;
    }
}
