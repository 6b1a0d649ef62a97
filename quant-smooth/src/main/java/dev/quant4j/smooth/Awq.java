package dev.quant4j.smooth;

import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWQ (Lin et al. 2023) for the groups of {@link LayerGroups}: per group, s = s_x^α with s_x the RMS of each
 * input channel, normalised so that max(s)·min(s) = 1, for α over a grid; the α whose
 * Σ_weights ‖(deq(Q(W·diag s))·diag(s)⁻¹ − W) X‖² is smallest wins, where Q is the quantizer the planner gave
 * that weight (with the imatrix-style importance rescaled by 1/s² when the quantization is weighted) and the
 * error is evaluated exactly from the calibration second moments E[x xᵀ] (no activation samples are kept).
 * α = 0 (s = 1) is always a candidate, so on the calibration data the result is never worse than plain.
 * Optionally AWQ's clipping search (per row and column group, bounds shrunk from the group's max |w|) after
 * all scales are fixed.
 */
final class Awq implements Transform {
    private static final Logger LOG = LoggerFactory.getLogger(Awq.class);

    private final AwqOptions options;

    Awq(AwqOptions options) {
        this.options = options;
    }

    @Override
    public TransformOutput apply(TransformInput model) {
        TransformInput in = options.output() ? UntiedHead.of(model, "awq") : model;
        Scaling scaling = new Scaling();
        List<ScaleSearch.Member> clipped = new ArrayList<>();
        int searched = 0;
        List<LayerGroups.Group> groups = LayerGroups.of(in, "awq", options.output());
        LayerGroups.requireExpertStats(in, groups, "awq");
        for (LayerGroups.Group g : groups) {
            ScaleSearch search = ScaleSearch.of(in, g, "awq");
            if (search == null) {
                continue; // nothing of this group is quantized
            }
            searched++;
            float[] sx = channelRms(g, search.stats().meanSquares());
            List<float[]> candidates = IntStream.range(0, options.grid())
                    .mapToObj(i -> scales(sx, (double) i / options.grid())).toList();
            double[] errors = search.errors(candidates);
            int best = ScaleSearch.argmin(errors);
            LOG.debug("awq {}: alpha {} (error {} vs {} unscaled)", g.weights(), (double) best / options.grid(),
                    errors[best], errors[0]);
            if (best != 0) { // α = 0 is s = 1
                g.scale(candidates.get(best), scaling);
            }
            if (options.clip()) {
                // q and k feed attention scores, where the output error of the linear is the wrong objective (AWQ)
                search.members().stream().filter(m -> !m.name().contains("attn_q.") && !m.name().contains("attn_k."))
                        .forEach(clipped::add);
            }
        }
        if (searched == 0) {
            throw ScaleSearch.noTargets("awq");
        }
        if (!clipped.isEmpty()) {
            ScaledTensors scaled = scaling.build(in);
            java.util.Map<String, List<ScaleSearch.Member>> byWeight = new java.util.LinkedHashMap<>();
            clipped.forEach(m -> byWeight.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m));
            byWeight.forEach((name, members) -> scaling.clip(name, clip(in, scaled, name, members)));
        }
        return scaling.build(in);
    }

    /** The clipping bounds of weight {@code name}: searched for each member (an expert's rows, or all rows). */
    private Scaling.Clip clip(TransformInput in, ScaledTensors scaled, String name, List<ScaleSearch.Member> members) {
        TensorView v = scaled.changed().contains(name) ? scaled.tensor(name) : in.view(name); // α = 0 may have won
        int cols = Math.toIntExact(v.rowLength());
        int gs = options.clipGroup();
        int groups = (cols + gs - 1) / gs;
        float[] bounds = new float[Math.toIntExact(v.rows() * groups)];
        java.util.Arrays.fill(bounds, Float.MAX_VALUE); // experts never routed to stay unclipped
        for (ScaleSearch.Member m : members) {
            long per = v.rows() / m.experts();
            long first = Math.max(0, m.expert()) * per;
            float[] w = new float[Math.toIntExact(per * cols)];
            for (long r = 0; r < per; r++) {
                v.readRow(first + r, w, Math.toIntExact(r * cols));
            }
            float[] c = scaled.inputScale(name).map(s -> LayerGroups.expertSlice(s, cols, m.expert())).orElse(null);
            float[] b = clipSearch(TensorView.ofFloats(name, Shape.of(cols, per), w), w, m, c);
            System.arraycopy(b, 0, bounds, Math.toIntExact(first * groups), b.length);
        }
        return new Scaling.Clip(gs, bounds);
    }

    /** s_x per channel: the RMS over the columns of that channel. */
    private static float[] channelRms(LayerGroups.Group g, float[] ms) {
        double[] sum = new double[g.channels()];
        int[] n = new int[g.channels()];
        for (int c = 0; c < ms.length; c++) {
            int k = g.channel().applyAsInt(c);
            sum[k] += ms[c];
            n[k]++;
        }
        float[] sx = new float[g.channels()];
        for (int k = 0; k < sx.length; k++) {
            sx[k] = (float) Math.sqrt(sum[k] / Math.max(1, n[k]));
        }
        return sx;
    }

    /** s = s_x^α (at least 1e-4), divided by √(max·min) as AWQ does; channels without signal keep s = 1. */
    static float[] scales(float[] sx, double alpha) {
        float[] s = new float[sx.length];
        double max = 0;
        double min = Double.MAX_VALUE;
        for (int k = 0; k < s.length; k++) {
            s[k] = sx[k] > 0 ? (float) Math.max(Math.pow(sx[k], alpha), 1e-4) : 1f;
            max = Math.max(max, s[k]);
            min = Math.min(min, s[k]);
        }
        float norm = (float) Math.sqrt(max * min);
        for (int k = 0; k < s.length; k++) {
            s[k] /= norm;
        }
        return s;
    }

    /**
     * AWQ's clipping on the scaled weight: for each row and group of {@code clipGroup} columns, the bound
     * (1 − i/grid)·max|w| (i < maxShrink·grid) whose quantization error against the unclipped weights,
     * Δ_g M_gg Δ_gᵀ on the group's block of the (rescaled) second moments, is smallest; {@code v} holds the
     * member's rows {@code w}, {@code c} the factors its input was scaled by (null: none).
     */
    private float[] clipSearch(TensorView v, float[] w, ScaleSearch.Member member, float[] c) {
        QuantTarget target = member.target();
        int cols = Math.toIntExact(v.rowLength());
        int rows = Math.toIntExact(v.rows());
        ChannelStats st = member.stats();
        float[] m = st.secondMoments();
        float[] ms = st.meanSquares();
        if (c != null) {
            for (int i = 0; i < cols; i++) {
                ms[i] *= c[i] * c[i];
                for (int j = 0; j < cols; j++) {
                    m[i * cols + j] *= c[i] * c[j];
                }
            }
        }
        int gs = options.clipGroup();
        int groups = (cols + gs - 1) / gs;
        float[] orgMax = new float[rows * groups];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                int k = r * groups + col / gs;
                orgMax[k] = Math.max(orgMax[k], Math.abs(w[r * cols + col]));
            }
        }
        float[] bestBound = orgMax.clone();
        double[] bestErr = new double[rows * groups];
        java.util.Arrays.fill(bestErr, Double.POSITIVE_INFINITY);
        int steps = Math.max(1, (int) (options.maxShrink() * options.grid()));
        float[] importance = target.weighted() ? ms : null;
        float[] clippedW = new float[w.length];
        float[] delta = new float[cols];
        for (int i = 0; i < steps; i++) {
            float ratio = 1f - (float) i / options.grid();
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < cols; col++) {
                    float b = ratio * orgMax[r * groups + col / gs];
                    clippedW[r * cols + col] = Math.clamp(w[r * cols + col], -b, b);
                }
            }
            float[] deq = OutputError.roundTrip(v, clippedW, target, importance);
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < cols; col++) {
                    delta[col] = deq[r * cols + col] - w[r * cols + col];
                }
                for (int gi = 0; gi < groups; gi++) {
                    double err = OutputError.quadraticForm(delta, gi * gs, Math.min(cols, (gi + 1) * gs), m, cols);
                    int k = r * groups + gi;
                    if (err < bestErr[k]) {
                        bestErr[k] = err;
                        bestBound[k] = ratio * orgMax[k];
                    }
                }
            }
        }
        return bestBound;
    }
}
