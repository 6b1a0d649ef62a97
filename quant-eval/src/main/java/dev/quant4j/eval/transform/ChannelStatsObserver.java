package dev.quant4j.eval.transform;

import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ActivationObserver;
import dev.quant4j.kernels.gptq.HessianAccumulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects per-input-channel max |x| and mean x² of every dense weight's input, and optionally the mean of
 * x xᵀ (columns² × 8 bytes per input while collecting). Weights that read one input (attn_q/k/v after
 * attn_norm; ffn_gate/up, the router and shared experts after ffn_norm) share one accumulator and one
 * {@link ChannelStats} object: the first of them to be observed owns it, the others are recognised by name and
 * by being handed the very same rows right after it. Each expert of a {@code *_exps} weight gets its own
 * statistics over the tokens routed to it, under {@link ChannelStats#expertKey} (an expert's gate and up share
 * one). Observations arrive on the forward pass's calling thread in graph order, so the sums are formed in the
 * same order every run.
 */
public final class ChannelStatsObserver implements ActivationObserver {
    private static final class Acc {
        final float[] absMax;
        final double[] sumSq;
        final HessianAccumulator moments;
        long count;

        Acc(int width, boolean secondMoments) {
            absMax = new float[width];
            sumSq = new double[width];
            moments = secondMoments ? new HessianAccumulator(width) : null;
        }
    }

    /** Weights that read one norm's output within a block (suffixes after {@code blk.N.}). */
    private static final List<Set<String>> SHARED_INPUTS = List.of(
            Set.of("attn_q.weight", "attn_k.weight", "attn_v.weight"),
            Set.of("ffn_gate.weight", "ffn_up.weight", "ffn_gate_inp.weight", "ffn_gate_shexp.weight",
                    "ffn_up_shexp.weight", "ffn_gate_inp_shexp.weight"),
            Set.of("ffn_gate_exps.weight", "ffn_up_exps.weight")); // within one expert (same key suffix)

    private final boolean secondMoments;
    private final boolean share;
    private final Set<String> accept;
    private final Map<String, Acc> accs = new LinkedHashMap<>();
    private final Map<String, String> owners = new LinkedHashMap<>();
    private String lastWeight;
    private float[] lastRows;
    private int lastTokens;

    /** Maxima and mean squares only. */
    public ChannelStatsObserver() {
        this(false);
    }

    /** @param secondMoments also accumulate the mean of x xᵀ per weight */
    public ChannelStatsObserver(boolean secondMoments) {
        this(secondMoments, true);
    }

    /**
     * @param secondMoments also accumulate the mean of x xᵀ per input
     * @param shareInputs   one accumulator per shared input (false: one per weight, for comparison)
     */
    public ChannelStatsObserver(boolean secondMoments, boolean shareInputs) {
        this(secondMoments, shareInputs, null);
    }

    /**
     * Collects only the inputs of the weights in {@code accept} (null: all): one pass of a calibration split by
     * {@link dev.quant4j.eval.model.CalibrationPasses}. Weights that share an input must be accepted together.
     */
    public ChannelStatsObserver(boolean secondMoments, boolean shareInputs, Set<String> accept) {
        this.secondMoments = secondMoments;
        this.share = shareInputs;
        this.accept = accept == null ? null : Set.copyOf(accept);
    }

    /**
     * The input {@code weight} shares with the other readers of one norm in its block (by name: the key is the same
     * for attn_q/k/v, for ffn_gate/up, the router and the shared experts, and for one expert's gate and up), or the
     * weight's own name.
     */
    public static String sharedInput(String weight) {
        int l = dev.quant4j.api.tensor.TensorInfo.layerOf(weight);
        if (l >= 0) {
            String expert = expertOf(weight); // an expert's gate and up share that expert's input
            String suffix = weight.substring(("blk." + l + ".").length(), weight.length() - expert.length());
            for (int g = 0; g < SHARED_INPUTS.size(); g++) {
                if (SHARED_INPUTS.get(g).contains(suffix)) {
                    return "blk." + l + ".#input" + g + expert;
                }
            }
        }
        return weight;
    }

    /** Bytes the accumulators hold now (dominated by the second moments: columns² × 8 per input). */
    public synchronized long heldBytes() {
        long b = 0;
        for (Acc a : accs.values()) {
            long w = a.absMax.length;
            b += w * (4 + 8) + (a.moments == null ? 0 : w * w * 8);
        }
        return b;
    }

    /** The weight whose accumulator {@code weight}'s input goes to: itself, or the first reader of its input. */
    private String owner(String weight, float[] rows, int tokens) {
        String previous = lastWeight;
        boolean sameRows = rows == lastRows && tokens == lastTokens;
        lastWeight = weight;
        lastRows = rows;
        lastTokens = tokens;
        String known = owners.get(weight);
        if (known != null) {
            if (!known.equals(weight) && !(sameRows && previous != null && known.equals(owners.get(previous)))) {
                throw new IllegalStateException("weight '" + weight + "' shared the input of '" + known
                        + "' before but is now observed with other rows");
            }
            return known;
        }
        String owner = share && sameRows && previous != null && readSameInput(previous, weight)
                ? owners.getOrDefault(previous, previous) : weight;
        owners.put(weight, owner);
        return owner;
    }

    private static boolean readSameInput(String a, String b) {
        int la = dev.quant4j.api.tensor.TensorInfo.layerOf(a);
        if (la < 0 || la != dev.quant4j.api.tensor.TensorInfo.layerOf(b) || !expertOf(a).equals(expertOf(b))) {
            return false;
        }
        String prefix = "blk." + la + ".";
        String sa = a.substring(prefix.length(), a.length() - expertOf(a).length());
        String sb = b.substring(prefix.length(), b.length() - expertOf(b).length());
        return SHARED_INPUTS.stream().anyMatch(g -> g.contains(sa) && g.contains(sb));
    }

    /** The {@code #e} suffix of an expert key, or "" for a dense weight. */
    private static String expertOf(String key) {
        return key.substring(ChannelStats.weightOf(key).length());
    }

    @Override
    public synchronized void observe(String name, int expert, float[] rows, int tokens, int width) {
        String weight = expert < 0 ? name : ChannelStats.expertKey(name, expert);
        String owner = owner(weight, rows, tokens);
        if (!owner.equals(weight) || accept != null && !accept.contains(weight)) {
            return; // the owner has accumulated these very rows, or another pass collects them
        }
        Acc a = accs.computeIfAbsent(weight, w -> new Acc(width, secondMoments));
        if (a.absMax.length != width) {
            throw new IllegalStateException("weight '" + weight + "': input width " + width + " after "
                    + a.absMax.length);
        }
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            for (int j = 0; j < width; j++) {
                float x = rows[base + j];
                a.absMax[j] = Math.max(a.absMax[j], Math.abs(x));
                a.sumSq[j] += (double) x * x;
            }
        }
        if (a.moments != null) {
            a.moments.add(rows, tokens);
        }
        a.count += tokens;
    }

    /**
     * The statistics so far, by weight name and, for experts, {@link ChannelStats#expertKey} (weights that share
     * an input map to the same object).
     */
    public synchronized Map<String, ChannelStats> stats() {
        Map<String, ChannelStats> out = new LinkedHashMap<>();
        forEachInput((weights, st) -> weights.forEach(w -> out.put(w, st)));
        return out;
    }

    /**
     * Hands over the statistics one input at a time, with the weights that read it (the owner first), in order of
     * first observation; only one input's float copy is built at a time.
     */
    public synchronized void forEachInput(java.util.function.BiConsumer<List<String>, ChannelStats> sink) {
        Map<String, List<String>> readers = new LinkedHashMap<>();
        owners.forEach((weight, owner) -> {
            if (accs.containsKey(owner)) {
                readers.computeIfAbsent(owner, o -> new java.util.ArrayList<>()).add(weight);
            }
        });
        readers.forEach((owner, weights) -> sink.accept(weights, build(owner, accs.get(owner))));
    }

    private static ChannelStats build(String name, Acc a) {
        float[] ms = new float[a.sumSq.length];
        for (int j = 0; j < ms.length; j++) {
            ms[j] = a.count == 0 ? 0f : (float) (a.sumSq[j] / a.count);
        }
        float[] mom = new float[0];
        if (a.moments != null) {
            double[] h = a.moments.hessian(); // (2/n) Σ x xᵀ
            mom = new float[h.length];
            for (int i = 0; i < h.length; i++) {
                mom[i] = (float) (0.5 * h[i]);
            }
        }
        return new ChannelStats(name, a.count, a.absMax, ms, mom);
    }
}
