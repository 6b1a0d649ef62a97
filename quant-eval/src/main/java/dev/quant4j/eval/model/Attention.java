package dev.quant4j.eval.model;

import dev.quant4j.api.spi.ArchitectureSpec;

/**
 * One block's self-attention: q/k/v projections (+ biases when present), optional per-head q/k RMSNorm, RoPE,
 * the K/V cache, causal softmax attention with grouped-query heads, and the output projection.
 */
final class Attention {
    /** Positions per block of {@link #gatherValuesT}'s transposition: 16 floats, one 64-byte cache line. */
    private static final int TRANSPOSE_BLOCK = 16;

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
     * Attention over {@code h} (the normed input), projected: {@code [rows][embedding]} in {@code buf}'s
     * {@code PROJECTED} array, for the caller to add to the residual stream. The projections run on all rows at
     * once; q/k norms, RoPE, the cache and the attention itself per segment (sequence) and head, in parallel.
     */
    float[] forward(float[] h, Segments segs, MatMul mm, boolean f16Q, ActivationObserver obs, BatchBuffers buf) {
        return forward(h, segs, null, mm, f16Q, obs, buf);
    }

    /**
     * {@link #forward(float[], Segments, MatMul, boolean, ActivationObserver, BatchBuffers)} that, past the keys
     * and values (every row goes into the cache), runs only the query rows {@code from[s] ..} of each segment s
     * ({@code from} null: all; else each a {@link CausalBlocks#start}): the result holds those rows, in order, with
     * the bits the whole batch gives them as long as the kept rows are on the same side of the kernel's
     * {@link dev.quant4j.kernels.MatTile#batchTokens} as the whole batch. {@code h}'s rows are moved as
     * {@link Segments#keep} moves them.
     */
    float[] forward(float[] h, Segments segs, int[] from, MatMul mm, boolean f16Q, ActivationObserver obs,
                    BatchBuffers buf) {
        int n = segs.rows();
        Parallel parallel = mm.parallel();
        float[] q = from == null ? project(mm, wq, bq, h, n, obs, buf.get(BatchBuffers.Slot.Q, n * wq.rows())) : null;
        float[] k = project(mm, wk, bk, h, n, obs, buf.get(BatchBuffers.Slot.K, n * wk.rows()));
        float[] v = project(mm, wv, bv, h, n, obs, buf.get(BatchBuffers.Slot.V, n * wv.rows()));
        int[] start = from == null ? new int[segs.count()] : from;
        int m = n;
        if (from != null) {
            m = segs.keep(h, wq.cols(), from);
            q = project(mm, wq, bq, h, m, obs, buf.get(BatchBuffers.Slot.Q, m * wq.rows()));
        }
        float[] out = buf.get(BatchBuffers.Slot.ATTENTION, m * heads * valueLength);
        int end = 0;
        for (int s = 0; s < segs.count(); s++) {
            end = Math.max(end, segs.positions()[s] + segs.lengths()[s]);
        }
        Rope.Table table = rope.table(end);
        float[][][] kv = storeKeysValues(k, v, segs, table, parallel, buf);
        attend(q, segs, start, kv, table, f16Q, mm, out);
        return project(mm, wo, bo, out, m, obs, buf.get(BatchBuffers.Slot.PROJECTED, m * wo.rows()));
    }

    /**
     * Per (segment, KV head), in parallel: k-norm and RoPE of the new keys, keys and values into the cache, then
     * that head's cached keys {@code [len][keyLength]} and transposed values {@code [valueLength][len]} gathered
     * for {@link #attend} ({@code [0]} and {@code [1]} of the result, indexed {@code segment * headsKv + head}).
     */
    private float[][][] storeKeysValues(float[] k, float[] v, Segments segs, Rope.Table table, Parallel parallel,
                                        BatchBuffers buf) {
        int segments = segs.count();
        int[] first = firstRows(segs, new int[segments]);
        for (int s = 0; s < segments; s++) {
            segs.caches()[s].ensure(layer, segs.positions()[s] + segs.lengths()[s], buf);
        }
        buf.gather(2 * segments * headsKv);
        int kw = headsKv * keyLength;
        float[][] keys = new float[segments * headsKv][];
        float[][] valuesT = new float[segments * headsKv][];
        parallel.forEach(segments * headsKv, () -> null, (item, unused) -> {
            int s = item / headsKv;
            int kvh = item % headsKv;
            int pos = segs.positions()[s];
            int len = segs.lengths()[s];
            for (int t = 0; t < len; t++) {
                int at = (first[s] + t) * kw + kvh * keyLength;
                if (kNorm != null) {
                    RmsNorm.row(k, at, keyLength, kNorm, eps, k, at);
                }
                table.rotate(k, at, pos + t);
            }
            KvCache cache = segs.caches()[s];
            cache.storeColumns(layer, pos, len, k, first[s], kvh * keyLength, keyLength,
                    v, first[s], kvh * valueLength, valueLength);
            int width = CausalBlocks.padded(pos + len);
            keys[item] = gatherKeys(cache.keys(layer), kvh, pos + len, buf.gathered(2 * item, width * keyLength));
            valuesT[item] = gatherValuesT(cache.values(layer), kvh, pos + len,
                    buf.gathered(2 * item + 1, width * valueLength));
        });
        return new float[][][] {keys, valuesT};
    }

    /** Keys of head {@code kvh} at positions below {@code len} into {@code k}, then zero rows up to {@link CausalBlocks#padded}. */
    private float[] gatherKeys(float[] keys, int kvh, int len, float[] k) {
        int kw = headsKv * keyLength;
        for (int j = 0; j < len; j++) {
            System.arraycopy(keys, j * kw + kvh * keyLength, k, j * keyLength, keyLength);
        }
        java.util.Arrays.fill(k, len * keyLength, k.length, 0f);
        return k;
    }

    /** Values of head {@code kvh} transposed into {@code vt}, {@code [valueLength][padded(len)]}, zero past {@code len}. */
    private float[] gatherValuesT(float[] values, int kvh, int len, float[] vt) {
        int vw = headsKv * valueLength;
        int width = CausalBlocks.padded(len);
        for (int d = 0; d < valueLength; d++) {
            java.util.Arrays.fill(vt, d * width + len, (d + 1) * width, 0f);
        }
        // 16 positions at a time: each transposed row gets a whole cache line per block. Position by position
        // the stores went down a column with a stride of `width` floats (1 KB at 256 positions), so the 64
        // lines in flight fell into a few L1 sets and evicted each other (4% of a small model's run).
        for (int j0 = 0; j0 < len; j0 += TRANSPOSE_BLOCK) {
            int j1 = Math.min(len, j0 + TRANSPOSE_BLOCK);
            for (int d = 0; d < valueLength; d++) {
                int src = kvh * valueLength + d;
                int dst = d * width;
                for (int j = j0; j < j1; j++) {
                    vt[dst + j] = values[j * vw + src];
                }
            }
        }
        return vt;
    }

    /**
     * Causal attention as two small matmuls per query head on the MatTile kernel: scores = Q_h K^T, a softmax per
     * row (masked to the positions up to the token's own), then P V. The query rows of a segment are cut into
     * blocks ({@link CausalBlocks}); a block sees only the keys up to its last row (rounded up to whole
     * {@link CausalBlocks#ROWS}-row panels), so the masked upper triangle is not computed: a masked score never
     * reaches the softmax and a masked probability (0) adds nothing to P V. Work items are
     * (segment, KV head, block), largest first; each does its group's query heads (norm, RoPE, F16 rounding of q
     * on the way in).
     */
    private void attend(float[] q, Segments segs, int[] from, float[][][] kv, Rope.Table table, boolean f16Q, MatMul mm,
                        float[] out) {
        int[] first = firstRows(segs, from);
        CausalBlocks blocks = CausalBlocks.of(segs, headsKv, from);
        mm.parallel().forEach(blocks.items(), () -> new Scratch(blocks.maxRows(), blocks.maxKeys()),
                (i, sc) -> attendBlock(blocks, blocks.item(i), q, segs, first, kv, table, f16Q, mm, out, sc));
    }

    // attendBlock and attendHead only loop over calls (the kernel, softmax, queryRow), a few thousand times per
    // batch with up to a hundred loop turns each: C2 compiled them (inlining those calls) on-stack first at one loop
    // after another and then normally, four compiles of the first batch's largest code. lib/forward-pass-jit.json
    // leaves them to C1 (docs/forward-pass.md, "Fixed cost of the first batch, third pass").

    /** One work item of {@link #attend}: a block of query rows of one segment against one KV head's keys. */
    private void attendBlock(CausalBlocks blocks, int item, float[] q, Segments segs, int[] first, float[][][] kv,
                             Rope.Table table, boolean f16Q, MatMul mm, float[] out, Scratch sc) {
        int s = blocks.segment(item);
        int kvh = blocks.head(item);
        int width = CausalBlocks.padded(segs.positions()[s] + segs.lengths()[s]);
        int keys = blocks.keys(item);
        float[] k = kv[0][s * headsKv + kvh];
        float[] vt = kv[1][s * headsKv + kvh];
        if (keys < width) {                     // the first `keys` columns of every transposed value row
            for (int d = 0; d < valueLength; d++) {
                System.arraycopy(vt, d * width, sc.values, d * keys, keys);
            }
            vt = sc.values;
        }
        int group = heads / headsKv;
        for (int hd = kvh * group; hd < (kvh + 1) * group; hd++) {
            attendHead(blocks, item, hd, q, segs, first[s], k, vt, table, f16Q, mm, out, sc);
        }
    }

    /**
     * Query head {@code hd} of a block: its query rows (norm, RoPE, F16 rounding on the way in), the scores, a
     * softmax per row, and P V straight into the head's columns of {@code out}.
     */
    private void attendHead(CausalBlocks blocks, int item, int hd, float[] q, Segments segs, int first, float[] k,
                            float[] vt, Rope.Table table, boolean f16Q, MatMul mm, float[] out, Scratch sc) {
        int t0 = blocks.firstRow(item);
        int rows = blocks.rows(item);
        int keys = blocks.keys(item);
        int pos = segs.positions()[blocks.segment(item)] + t0;
        for (int t = 0; t < rows; t++) {
            queryRow(q, ((first + t0 + t) * heads + hd) * keyLength, sc.q, t * keyLength, pos + t, table, f16Q);
        }
        mm.multiply(k, keys, keyLength, sc.q, rows, sc.scores, 0, keys);
        for (int t = 0; t < rows; t++) {
            mm.activations().softmax(sc.scores, t * keys, pos + t + 1, keys, scale);
        }
        mm.multiply(vt, valueLength, keys, sc.scores, rows, out, ((first + t0) * heads + hd) * valueLength,
                heads * valueLength);
    }

    /** Query row {@code q[src ..]} into {@code dst[at ..]}: norm, RoPE at {@code position}, F16 rounding. */
    private void queryRow(float[] q, int src, float[] dst, int at, int position, Rope.Table table, boolean f16Q) {
        System.arraycopy(q, src, dst, at, keyLength);
        if (qNorm != null) {
            RmsNorm.row(dst, at, keyLength, qNorm, eps, dst, at);
        }
        table.rotate(dst, at, position);
        if (f16Q) {
            for (int d = at; d < at + keyLength; d++) {
                dst[d] = Float.float16ToFloat(Float.floatToFloat16(dst[d]));
            }
        }
    }

    /**
     * Per segment s, the row of an array holding rows {@code from[s] ..} of each segment one after another at which
     * segment row 0 would be (so row {@code from[s]} is at {@code first[s] + from[s]}); {@code from} all zero: where
     * each segment starts.
     */
    private static int[] firstRows(Segments segs, int[] from) {
        int[] first = new int[segs.count()];
        for (int s = 0, kept = 0; s < first.length; kept += segs.lengths()[s] - from[s], s++) {
            first[s] = kept - from[s];
        }
        return first;
    }

    /** One worker's buffers for {@link #attend}. */
    private final class Scratch {
        final float[] q;
        final float[] scores;
        final float[] values;

        Scratch(int rows, int keys) {
            q = new float[rows * keyLength];
            scores = new float[rows * keys];
            values = new float[valueLength * keys];
        }
    }

    private static float[] project(MatMul mm, Matrix w, float[] bias, float[] in, int n, ActivationObserver obs,
                                   float[] out) {
        mm.apply(w, in, n, out, obs);
        if (bias != null) {
            Elementwise.addRows(mm.parallel(), out, bias, n);
        }
        return out;
    }
}
