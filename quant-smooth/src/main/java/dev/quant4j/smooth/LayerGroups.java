package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
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
 * act on outputs, so they are unaffected too.
 *
 * <p>Mixture of experts (Mixtral-style llama, qwen3moe): the router {@code ffn_gate_inp} and every expert's gate
 * and up read the same {@code ffn_norm} output, so one group holds all three (the router's columns are scaled
 * too, so routing is unchanged); each expert's {@code ffn_down} reads its own gated product and forms a group of
 * its own ({@link Group#expert}), folded into that expert's rows of {@code ffn_up_exps}. Shared experts
 * (qwen2moe), other expert tensors and fused QKV are refused by name.
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
     * @param expert   the one expert of 3-D weights this group scales, or -1: whole tensors (the router's and
     *                 all experts' shared input)
     * @param experts  the expert count of the layer when {@code expert} ≥ 0 (else 1)
     */
    record Group(List<String> weights, Fold fold, int columns, int channels, IntUnaryOperator channel, int expert,
                 int experts) {
        Group(List<String> weights, Fold fold, int columns, int channels, IntUnaryOperator channel) {
            this(weights, fold, columns, channels, channel, -1, 1);
        }

        /** The statistics of the group's input (an expert's: over the tokens routed to it); null when absent. */
        ChannelStats stats(TransformInput in) {
            return expert < 0 ? in.stats(weights.getFirst()).orElse(null)
                    : in.expertStats(weights.getFirst(), expert).orElse(null);
        }

        /** Factors for a whole 3-D tensor: {@code v} at this group's expert, ones at the others. */
        float[] place(float[] v) {
            if (expert < 0) {
                return v;
            }
            float[] all = new float[v.length * experts];
            java.util.Arrays.fill(all, 1f);
            System.arraycopy(v, 0, all, expert * v.length, v.length);
            return all;
        }

        /** Rows of {@code v} this group scales: {first, count} (an expert's slice of a 3-D weight, or all). */
        long[] rows(TensorView v) {
            if (expert < 0) {
                return new long[] {0, v.rows()};
            }
            long per = v.rows() / experts;
            return new long[] {expert * per, per};
        }

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
                out.columns(w, place(s));
                out.input(w, place(inv));
            }
            float[] invChannel = inverse(perChannel);
            switch (fold) {
                case NormFold(String norm) -> out.columns(norm, invChannel);
                case RowFold(String weight, String bias) -> {
                    out.rows(weight, place(invChannel));
                    if (bias != null) {
                        out.columns(bias, place(invChannel)); // v = W x + b: the whole output row is divided
                    }
                }
            }
        }
    }

    /**
     * Expert {@code expert}'s input factors from a 3-D weight's: one vector for all experts (their shared input
     * was scaled) or one per expert in order; a 2-D weight's ({@code expert} -1) as they are.
     */
    static float[] expertSlice(float[] c, int columns, int expert) {
        return expert < 0 || c.length == columns ? c
                : java.util.Arrays.copyOfRange(c, expert * columns, (expert + 1) * columns);
    }

    static float[] inverse(float[] s) {
        float[] inv = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            inv[i] = 1f / s[i];
        }
        return inv;
    }

    static List<Group> of(TransformInput in, String transform) {
        return of(in, transform, false);
    }

    /** @param output also the output head, 1/s folded into {@code output_norm} (the head must exist: untie first) */
    static List<Group> of(TransformInput in, String transform, boolean output) {
        Metadata md = in.metadata();
        String arch = md.getString("general.architecture").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, transform + ": metadata key 'general.architecture' is missing"));
        long layers = md.getLong(arch + ".block_count").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, transform + ": metadata key '" + arch + ".block_count' is missing"));
        for (TensorInfo t : in.tensors()) {
            String n = t.name();
            if (n.contains("shexp")) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": shared experts (tensor '" + n
                        + "', qwen2moe) are not supported: quant-eval's forward pass does not run them, so the"
                        + " result could not be checked");
            }
            if ((n.contains("_exps") || n.contains("_inp") || n.contains("exp_probs"))
                    && MOE.stream().noneMatch(n::endsWith)) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": mixture-of-experts tensor '"
                        + n + "' is not supported (only ffn_gate_inp and ffn_{gate,up,down}_exps weights)");
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
            if (in.find(b + "ffn_gate_inp.weight").isPresent()) {
                experts(in, groups, b, transform);
            } else {
                add(in, groups, transform, List.of(b + "ffn_gate.weight", b + "ffn_up.weight"),
                        new NormFold(b + "ffn_norm.weight"));
            }
            if (in.find(b + "ffn_up.weight").isPresent()) {
                add(in, groups, transform, List.of(b + "ffn_down.weight"), new RowFold(b + "ffn_up.weight", null));
            }
            attnOutput(in, b, (int) heads, (int) kvHeads, transform).ifPresent(groups::add);
        }
        if (output) {
            in.find(UntiedHead.OUTPUT).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform
                    + ": the model has no '" + UntiedHead.OUTPUT + "'"));
            add(in, groups, transform, List.of(UntiedHead.OUTPUT), new NormFold("output_norm.weight"));
        }
        return groups;
    }

    /**
     * Refuses statistics without any per-expert entry for a layer whose router was observed (e.g. collected by an
     * observer that skips experts): every expert would silently keep s = 1.
     */
    static void requireExpertStats(TransformInput in, List<Group> groups, String transform) {
        java.util.Set<String> checked = new java.util.HashSet<>();
        for (Group g : groups) {
            String w = g.weights().getFirst();
            if (g.expert() < 0 || !checked.add(w)) {
                continue;
            }
            boolean any = false;
            for (int e = 0; e < g.experts() && !any; e++) {
                any = in.expertStats(w, e).isPresent();
            }
            String router = w.substring(0, w.length() - MOE.get(3).length()) + MOE.get(0);
            if (!any && in.stats().containsKey(router)) {
                throw new QuantException(ErrorCode.MISSING_CALIBRATION, transform + ": the calibration statistics have"
                        + " no per-expert entries for '" + w + "' (its router was observed); collect them with this"
                        + " version's calibration pass");
            }
        }
    }

    /** Tensor names (suffixes) of the mixture-of-experts FFN this class knows. */
    private static final List<String> MOE = List.of("ffn_gate_inp.weight", "ffn_gate_exps.weight",
            "ffn_up_exps.weight", "ffn_down_exps.weight");

    /** The router + experts' gate/up group (into ffn_norm) and one ffn_down group per expert (into its up rows). */
    private static void experts(TransformInput in, List<Group> groups, String b, String transform) {
        TensorInfo router = in.find(b + MOE.get(0)).orElseThrow();
        TensorInfo gate = moeTensor(in, b + MOE.get(1), transform);
        TensorInfo up = moeTensor(in, b + MOE.get(2), transform);
        TensorInfo down = moeTensor(in, b + MOE.get(3), transform);
        long width = router.shape().rowLength();
        long count = router.shape().rows();
        long ff = gate.shape().ne(1);
        if (!gate.shape().equals(up.shape()) || gate.shape().ne(0) != width || gate.shape().ne(2) != count
                || down.shape().ne(0) != ff || down.shape().ne(1) != width || down.shape().ne(2) != count) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": expert shapes of " + b
                    + "* are inconsistent: router " + router.shape() + ", gate " + gate.shape() + ", up "
                    + up.shape() + ", down " + down.shape());
        }
        add(in, groups, transform, List.of(router.name(), gate.name(), up.name()), new NormFold(b + "ffn_norm.weight"));
        for (int e = 0; e < count; e++) {
            groups.add(new Group(List.of(down.name()), new RowFold(up.name(), null), (int) ff, (int) ff,
                    IntUnaryOperator.identity(), e, (int) count));
        }
    }

    private static TensorInfo moeTensor(TransformInput in, String name, String transform) {
        TensorInfo t = in.find(name).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform
                + ": the layer has a router but no '" + name + "'"));
        if (t.shape().rank() != 3) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, transform + ": expert tensor '" + name + "' has shape "
                    + t.shape() + ", [columns, rows, experts] expected");
        }
        return t;
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
