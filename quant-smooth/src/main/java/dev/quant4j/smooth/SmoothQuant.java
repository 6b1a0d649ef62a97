package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SmoothQuant: for each group of linears reading one input, s_j = max|X_j|^α / max|W_j|^(1−α) over input
 * channel j; the weights' columns are multiplied by s and the producer of the input divided by s:
 * <ul>
 *   <li>attn_q/k/v ← attn_norm; ffn_gate/up ← ffn_norm (RMSNorm weights are per-channel factors);</li>
 *   <li>ffn_down ← the rows of ffn_up (the gated product silu(g)·u is linear in u);</li>
 *   <li>attn_output ← the rows of attn_v (and its bias): attention mixes whole V rows, so channel d of
 *       query head h is divided by the factor of channel d of the KV head it reads; under GQA the query heads
 *       sharing a KV head share s (maxima taken over the group).</li>
 * </ul>
 * Biases added after q/k/v matmuls are unaffected (the matmul's output is unchanged); the q/k norms of qwen3
 * act on outputs, so they are unaffected too. Mixture-of-experts models are refused.
 */
final class SmoothQuant implements Transform {
    private final double alpha;

    SmoothQuant(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public TransformOutput apply(TransformInput in) {
        Metadata md = in.metadata();
        String arch = md.getString("general.architecture").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: metadata key 'general.architecture' is missing"));
        long layers = md.getLong(arch + ".block_count").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: metadata key '" + arch + ".block_count' is missing"));
        for (TensorInfo t : in.tensors()) {
            if (t.name().contains("_exps") || t.name().contains("ffn_gate_inp")) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: mixture-of-experts models are"
                        + " not supported (tensor '" + t.name() + "'); use a dense llama/qwen2/qwen3 model");
            }
            if (t.name().contains("attn_qkv")) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: fused QKV tensor '" + t.name()
                        + "' is not supported");
            }
        }
        long heads = md.getLong(arch + ".attention.head_count").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: metadata key '" + arch + ".attention.head_count' is missing"));
        long kvHeads = md.getLong(arch + ".attention.head_count_kv").orElse(heads);

        Map<String, float[]> cols = new HashMap<>();
        Map<String, float[]> rows = new HashMap<>();
        Map<String, float[]> inputs = new HashMap<>();
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            fold(in, List.of(b + "attn_q.weight", b + "attn_k.weight", b + "attn_v.weight"),
                    b + "attn_norm.weight", cols, inputs, null);
            fold(in, List.of(b + "ffn_gate.weight", b + "ffn_up.weight"), b + "ffn_norm.weight", cols, inputs, null);
            // ffn_down's input is silu(gate)·up: divide up's output rows
            fold(in, List.of(b + "ffn_down.weight"), null, cols, inputs, s -> rows.put(b + "ffn_up.weight", s));
            foldAttnOutput(in, b, (int) heads, (int) kvHeads, cols, rows, inputs);
        }
        return new ScaledTensors(in, cols, rows, inputs);
    }

    /** Smooths {@code weights} (one shared input); the producer gets 1/s as its elementwise factor. */
    private void fold(TransformInput in, List<String> weights, String norm, Map<String, float[]> cols,
                      Map<String, float[]> inputs, java.util.function.Consumer<float[]> producer) {
        List<String> present = weights.stream().filter(w -> in.find(w).isPresent()).toList();
        if (present.isEmpty()) {
            return;
        }
        float[] xMax = activationMax(in, present);
        float[] wMax = new float[xMax.length];
        for (String w : present) {
            columnAbsMax(in.view(w), wMax, i -> i);
        }
        float[] s = scales(xMax, wMax);
        float[] inv = inverse(s);
        for (String w : present) {
            cols.merge(w, s, SmoothQuant::times);
            inputs.put(w, inv);
        }
        if (norm != null) {
            TensorInfo n = in.find(norm).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_SHAPE,
                    "smoothquant: tensor '" + norm + "' is missing"));
            checkLength(n, s.length);
            cols.merge(norm, inv, SmoothQuant::times);
        } else {
            producer.accept(inv);
        }
    }

    private void foldAttnOutput(TransformInput in, String b, int heads, int kvHeads, Map<String, float[]> cols,
                                Map<String, float[]> rows, Map<String, float[]> inputs) {
        String wo = b + "attn_output.weight";
        String wv = b + "attn_v.weight";
        if (in.find(wo).isEmpty() || in.find(wv).isEmpty()) {
            return;
        }
        TensorView o = in.view(wo);
        int width = Math.toIntExact(o.rowLength());
        long vRows = in.find(wv).orElseThrow().shape().rows();
        if (heads % kvHeads != 0 || width % heads != 0 || vRows != (long) width / heads * kvHeads) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: '" + wo + "' has " + width
                    + " columns and '" + wv + "' " + vRows + " rows, inconsistent with " + heads + " heads / "
                    + kvHeads + " KV heads");
        }
        int headDim = width / heads;
        int group = heads / kvHeads;
        // column h·hd + d of attn_output reads row (h / group)·hd + d of attn_v
        java.util.function.IntUnaryOperator kvIndex = c -> (c / headDim / group) * headDim + c % headDim;
        float[] xCol = activationMax(in, List.of(wo));
        float[] xMax = new float[(int) vRows];
        for (int c = 0; c < width; c++) {
            int k = kvIndex.applyAsInt(c);
            xMax[k] = Math.max(xMax[k], xCol[c]);
        }
        float[] wMax = new float[(int) vRows];
        columnAbsMax(o, wMax, kvIndex);
        float[] sKv = scales(xMax, wMax);
        float[] s = new float[width];
        for (int c = 0; c < width; c++) {
            s[c] = sKv[kvIndex.applyAsInt(c)];
        }
        float[] invKv = inverse(sKv);
        cols.merge(wo, s, SmoothQuant::times);
        inputs.put(wo, inverse(s));
        rows.merge(wv, invKv, SmoothQuant::times);
        String bias = b + "attn_v.bias";
        if (in.find(bias).isPresent()) {
            checkLength(in.find(bias).orElseThrow(), invKv.length);
            cols.merge(bias, invKv, SmoothQuant::times); // v = W x + b: the whole output row is divided
        }
    }

    private static float[] activationMax(TransformInput in, List<String> weights) {
        float[] out = null;
        for (String w : weights) {
            ChannelStats st = in.stats().get(w);
            if (st == null) {
                continue;
            }
            float[] m = st.absMax();
            if (out == null) {
                out = m;
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.max(out[i], m[i]);
                }
            }
        }
        if (out == null) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: no calibration statistics for '"
                    + weights.getFirst() + "'; give calibration text");
        }
        return out;
    }

    private static void columnAbsMax(TensorView w, float[] max, java.util.function.IntUnaryOperator index) {
        int n = Math.toIntExact(w.rowLength());
        float[] row = new float[n];
        for (long r = 0; r < w.rows(); r++) {
            w.readRow(r, row, 0);
            for (int c = 0; c < n; c++) {
                int k = index.applyAsInt(c);
                max[k] = Math.max(max[k], Math.abs(row[c]));
            }
        }
    }

    /** s_j = max|X_j|^α / max|W_j|^(1−α); channels without signal keep s = 1. */
    float[] scales(float[] xMax, float[] wMax) {
        if (xMax.length != wMax.length) {
            throw new IllegalArgumentException(xMax.length + " activation maxima, " + wMax.length + " weight maxima");
        }
        float[] s = new float[xMax.length];
        for (int j = 0; j < s.length; j++) {
            double v = Math.pow(xMax[j], alpha) / Math.pow(wMax[j], 1 - alpha);
            s[j] = xMax[j] > 0 && wMax[j] > 0 && Double.isFinite(v) && v > 0 ? (float) Math.clamp(v, 1e-5, 1e5) : 1f;
        }
        return s;
    }

    private static float[] inverse(float[] s) {
        float[] inv = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            inv[i] = 1f / s[i];
        }
        return inv;
    }

    private static float[] times(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }

    private static void checkLength(TensorInfo t, int n) {
        if (t.shape().elementCount() != n) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: tensor '" + t.name() + "' has "
                    + t.shape().elementCount() + " elements, " + n + " expected");
        }
    }
}
