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

    /**
     * Adds attention over {@code h} (the normed input) to {@code x}. The projections run on all rows at once;
     * RoPE, the cache and the attention itself per segment (sequence).
     */
    void forward(float[] h, Segments segs, MatMul mm, boolean f16Q, ActivationObserver obs, float[] x) {
        int n = segs.rows();
        float[] q = project(mm, wq, bq, h, n, obs);
        float[] k = project(mm, wk, bk, h, n, obs);
        float[] v = project(mm, wv, bv, h, n, obs);
        if (qNorm != null) {
            RmsNorm.apply(q, n * heads, keyLength, qNorm, eps, q);
            RmsNorm.apply(k, n * headsKv, keyLength, kNorm, eps, k);
        }
        float[] out = new float[n * heads * valueLength];
        for (int s = 0, row = 0; s < segs.count(); row += segs.lengths()[s], s++) {
            int len = segs.lengths()[s];
            float[] qs = rows(q, row, len, heads * keyLength, n);
            float[] ks = rows(k, row, len, headsKv * keyLength, n);
            float[] vs = rows(v, row, len, headsKv * valueLength, n);
            int pos = segs.positions()[s];
            rope.apply(qs, len, heads, keyLength, pos);
            rope.apply(ks, len, headsKv, keyLength, pos);
            segs.caches()[s].store(layer, pos, ks, vs, len);
            if (f16Q) {
                qs = MatMul.roundToF16(qs, qs.length);
            }
            float[] os = len == n ? out : new float[len * heads * valueLength];
            attend(qs, len, pos, segs.caches()[s], mm, os);
            if (os != out) {
                System.arraycopy(os, 0, out, row * heads * valueLength, os.length);
            }
        }
        float[] o = project(mm, wo, bo, out, n, obs);
        for (int i = 0; i < o.length; i++) {
            x[i] += o[i];
        }
    }

    /** Rows {@code [row, row + len)} of a {@code [n][width]} array (the array itself when that is all of it). */
    private static float[] rows(float[] a, int row, int len, int width, int n) {
        return len == n ? a : java.util.Arrays.copyOfRange(a, row * width, (row + len) * width);
    }

    /**
     * Causal attention as two small matmuls per query head, on the MatTile kernel: scores = Q_h K^T over the
     * cached keys of its KV head (masked per row to positions up to the token's own), softmax, then P V. Work is
     * split by KV head; the group's keys and transposed values are gathered once into contiguous buffers.
     */
    private void attend(float[] q, int n, int pos, KvCache cache, MatMul mm, float[] out) {
        float[] keys = cache.keys(layer);
        float[] values = cache.values(layer);
        int group = heads / headsKv;
        int kw = headsKv * keyLength;
        int vw = headsKv * valueLength;
        int len = pos + n;
        mm.parallel().forEach(headsKv, () -> null, (kvh, unused) -> {
            float[] k = new float[len * keyLength];
            float[] vt = new float[valueLength * len];
            for (int j = 0; j < len; j++) {
                System.arraycopy(keys, j * kw + kvh * keyLength, k, j * keyLength, keyLength);
                for (int d = 0; d < valueLength; d++) {
                    vt[d * len + j] = values[j * vw + kvh * valueLength + d];
                }
            }
            float[] qh = new float[n * keyLength];
            float[] scores = new float[n * len];
            float[] o = new float[n * valueLength];
            for (int hd = kvh * group; hd < (kvh + 1) * group; hd++) {
                for (int t = 0; t < n; t++) {
                    System.arraycopy(q, (t * heads + hd) * keyLength, qh, t * keyLength, keyLength);
                }
                mm.multiply(k, len, keyLength, qh, n, scores, 0, len);
                for (int t = 0; t < n; t++) {
                    mm.activations().softmax(scores, t * len, pos + t + 1, len, scale);
                }
                mm.multiply(vt, valueLength, len, scores, n, o, 0, valueLength);
                for (int t = 0; t < n; t++) {
                    System.arraycopy(o, t * valueLength, out, (t * heads + hd) * valueLength, valueLength);
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
