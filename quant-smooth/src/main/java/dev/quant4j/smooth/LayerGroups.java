package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The groups of linears of a dense llama/qwen2/qwen3 model that read one input and whose input can be scaled
 * per channel exactly, with where the inverse factor is folded:
 * <ul>
 *   <li>attn_q/k/v ← attn_norm; ffn_gate/up ← ffn_norm (RMSNorm weights are per-channel factors);</li>
 *   <li>ffn_down ← the rows of ffn_up (the gated product silu(g)·u is linear in u);</li>
 *   <li>attn_output ← the rows of attn_v (and its bias): attention mixes whole V rows, so channel d of
 *       query head h shares the factor of channel d of the KV head it reads (GQA: one factor per KV channel).</li>
 * </ul>
 * Biases added after q/k/v matmuls are unaffected (the matmul's output is unchanged); the q/k norms of qwen3
 * act on outputs, so they are unaffected too. Mixture-of-experts models and fused QKV are refused.
 */
final class LayerGroups {
    private LayerGroups() {
    }

    /** Where 1/s goes: a norm weight, or the output rows of a producing linear (and its bias). */
    sealed interface Fold {
    }

    record NormFold(String norm) implements Fold {
    }

    record RowFold(String weight, String bias) implements Fold {
    }

    /**
     * @param weights  the linears reading the input (present in the model)
     * @param fold     the producer that absorbs 1/s
     * @param columns  the input width
     * @param channels number of independent factors
     * @param channel  input column → factor index (identity except attn_output under multi-head)
     */
    record Group(List<String> weights, Fold fold, int columns, int channels, IntUnaryOperator channel) {
        /** Per-column factors from per-channel ones. */
        float[] expand(float[] perChannel) {
            float[] s = new float[columns];
            for (int c = 0; c < columns; c++) {
                s[c] = perChannel[channel.applyAsInt(c)];
            }
            return s;
        }

        /** Multiplies the weights' columns by s and folds 1/s into the producer. */
        void scale(float[] perChannel, Scaling out) {
            float[] s = expand(perChannel);
            float[] inv = inverse(s);
            for (String w : weights) {
                out.columns(w, s);
                out.input(w, inv);
            }
            float[] invChannel = inverse(perChannel);
            switch (fold) {
                case NormFold(String norm) -> out.columns(norm, invChannel);
                case RowFold(String weight, String bias) -> {
                    out.rows(weight, invChannel);
                    if (bias != null) {
                        out.columns(bias, invChannel); // v = W x + b: the whole output row is divided
                    }
                }
            }
        }
    }

    static float[] inverse(float[] s) {
        float[] inv = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            inv[i] = 1f / s[i];
        }
        return inv;
    }

    static List<Group> of(TransformInput in, String transform) {
        Metadata md = in.metadata();
        String arch = md.getString("general.architecture").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, transform + ": metadata key 'general.architecture' is missing"));
        long layers = md.getLong(arch + ".block_count").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, transform + ": metadata key '" + arch + ".block_count' is missing"));
        for (TensorInfo t : in.tensors()) {
            if (t.name().contains("_exps") || t.name().contains("ffn_gate_inp")) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": mixture-of-experts models are"
                        + " not supported (tensor '" + t.name() + "'); use a dense llama/qwen2/qwen3 model");
            }
            if (t.name().contains("attn_qkv")) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": fused QKV tensor '" + t.name()
                        + "' is not supported");
            }
        }
        long heads = md.getLong(arch + ".attention.head_count").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, transform + ": metadata key '" + arch + ".attention.head_count' is missing"));
        long kvHeads = md.getLong(arch + ".attention.head_count_kv").orElse(heads);
        List<Group> groups = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            add(in, groups, transform, List.of(b + "attn_q.weight", b + "attn_k.weight", b + "attn_v.weight"),
                    new NormFold(b + "attn_norm.weight"));
            add(in, groups, transform, List.of(b + "ffn_gate.weight", b + "ffn_up.weight"),
                    new NormFold(b + "ffn_norm.weight"));
            if (in.find(b + "ffn_up.weight").isPresent()) {
                add(in, groups, transform, List.of(b + "ffn_down.weight"), new RowFold(b + "ffn_up.weight", null));
            }
            attnOutput(in, b, (int) heads, (int) kvHeads, transform).ifPresent(groups::add);
        }
        return groups;
    }

    private static void add(TransformInput in, List<Group> groups, String transform, List<String> weights, Fold fold) {
        List<String> present = weights.stream().filter(w -> in.find(w).isPresent()).toList();
        if (present.isEmpty()) {
            return;
        }
        int width = Math.toIntExact(in.find(present.getFirst()).orElseThrow().shape().rowLength());
        if (fold instanceof NormFold(String norm)) {
            TensorInfo n = in.find(norm).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_SHAPE,
                    transform + ": tensor '" + norm + "' is missing"));
            checkLength(n, width, transform);
        }
        groups.add(new Group(present, fold, width, width, IntUnaryOperator.identity()));
    }

    private static java.util.Optional<Group> attnOutput(TransformInput in, String b, int heads, int kvHeads,
                                                        String transform) {
        String wo = b + "attn_output.weight";
        String wv = b + "attn_v.weight";
        if (in.find(wo).isEmpty() || in.find(wv).isEmpty()) {
            return java.util.Optional.empty();
        }
        int width = Math.toIntExact(in.find(wo).orElseThrow().shape().rowLength());
        long vRows = in.find(wv).orElseThrow().shape().rows();
        if (heads % kvHeads != 0 || width % heads != 0 || vRows != (long) width / heads * kvHeads) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": '" + wo + "' has " + width
                    + " columns and '" + wv + "' " + vRows + " rows, inconsistent with " + heads + " heads / "
                    + kvHeads + " KV heads");
        }
        int headDim = width / heads;
        int group = heads / kvHeads;
        String bias = b + "attn_v.bias";
        if (in.find(bias).isPresent()) {
            checkLength(in.find(bias).orElseThrow(), (int) vRows, transform);
        }
        // column h·hd + d of attn_output reads row (h / group)·hd + d of attn_v
        return java.util.Optional.of(new Group(List.of(wo), new RowFold(wv, in.find(bias).isPresent() ? bias : null),
                width, (int) vRows, c -> (c / headDim / group) * headDim + c % headDim));
    }

    private static void checkLength(TensorInfo t, int n, String transform) {
        if (t.shape().elementCount() != n) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": tensor '" + t.name() + "' has "
                    + t.shape().elementCount() + " elements, " + n + " expected");
        }
    }
}
