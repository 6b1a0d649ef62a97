package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    private record Member(String name, QuantTarget target) {
    }

    @Override
    public TransformOutput apply(TransformInput in) {
        Scaling scaling = new Scaling();
        List<LayerGroups.Group> groups = LayerGroups.of(in, "awq");
        List<String> clipped = new ArrayList<>();
        int searched = 0;
        for (LayerGroups.Group g : groups) {
            List<Member> members = g.weights().stream().flatMap(w -> in.target(w).map(t -> new Member(w, t)).stream())
                    .toList();
            if (members.isEmpty()) {
                continue; // nothing of this group is quantized
            }
            searched++;
            ChannelStats st = stats(in, g);
            float[] alphaScales = search(in, g, members, st);
            if (alphaScales != null) {
                g.scale(alphaScales, scaling);
            }
            if (options.clip()) {
                // q and k feed attention scores, where the output error of the linear is the wrong objective (AWQ)
                members.stream().map(Member::name).filter(w -> !w.contains("attn_q.") && !w.contains("attn_k."))
                        .forEach(clipped::add);
            }
        }
        if (searched == 0) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "awq: no weight has a target quantizer; awq searches"
                    + " against the quantizer each weight will be written with: use it in 'quant quantize --transform"
                    + " awq' (or 'quant transform --target TYPE')");
        }
        if (!clipped.isEmpty()) {
            ScaledTensors scaled = scaling.build(in);
            for (String w : clipped) {
                scaling.clip(w, clipSearch(in, scaled, w));
            }
        }
        return scaling.build(in);
    }

    private static ChannelStats stats(TransformInput in, LayerGroups.Group g) {
        ChannelStats st = in.stats().get(g.weights().getFirst());
        if (st == null || !st.hasSecondMoments()) {
            throw new QuantException(ErrorCode.MISSING_CALIBRATION, "awq: no calibration second moments for '"
                    + g.weights().getFirst() + "'; give calibration text");
        }
        return st;
    }

    /** The winning per-channel scales, or null when α = 0 (no scaling) wins. */
    private float[] search(TransformInput in, LayerGroups.Group g, List<Member> members, ChannelStats st) {
        float[] ms = st.meanSquares();
        float[] moments = st.secondMoments();
        // s_x per channel: RMS over the columns of that channel
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
        List<float[]> weights = members.stream().map(m -> readAll(in.view(m.name()))).toList();
        double[] loss = IntStream.range(0, options.grid()).parallel().mapToDouble(i -> {
            float[] s = g.expand(scales(sx, (double) i / options.grid()));
            double total = 0;
            for (int m = 0; m < members.size(); m++) {
                TensorView v = in.view(members.get(m).name());
                total += outputError(v, weights.get(m), s, members.get(m).target(), ms, moments);
            }
            return total;
        }).toArray();
        int best = 0;
        for (int i = 1; i < loss.length; i++) {
            if (loss[i] < loss[best]) {
                best = i;
            }
        }
        LOG.debug("awq {}: alpha {} (error {} vs {} unscaled)", g.weights(), (double) best / options.grid(),
                loss[best], loss[0]);
        return best == 0 ? null : scales(sx, (double) best / options.grid());
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
     * ‖(deq(Q(W·diag s))·diag(s)⁻¹ − W) X‖² per token = Σ_rows Δ M Δᵀ with M = E[x xᵀ], for weights {@code w}
     * (all rows, row-major) of shape {@code v.shape()}.
     */
    private static double outputError(TensorView v, float[] w, float[] s, QuantTarget target, float[] ms,
                                      float[] moments) {
        int cols = Math.toIntExact(v.rowLength());
        int rows = Math.toIntExact(v.rows());
        float[] scaled = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                scaled[r * cols + c] = w[r * cols + c] * s[c];
            }
        }
        float[] importance = null;
        if (target.weighted()) {
            importance = new float[cols];
            for (int c = 0; c < cols; c++) {
                importance[c] = ms[c] / (s[c] * s[c]);
            }
        }
        float[] deq = roundTrip(v, scaled, target, importance);
        float[] delta = new float[cols];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                delta[c] = deq[r * cols + c] / s[c] - w[r * cols + c];
            }
            total += quadraticForm(delta, 0, cols, moments, cols);
        }
        return total;
    }

    /** Quantizes then dequantizes {@code values} (shape of {@code like}) with the target quantizer. */
    static float[] roundTrip(TensorView like, float[] values, QuantTarget target, float[] importance) {
        TensorView src = TensorView.ofFloats(like.name(), like.shape(), values);
        float[] out = new float[values.length];
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            var q = target.quantizer().quantize(src, importance, arena);
            target.quantizer().dequantize(q.data(), like.shape(), 0, like.rows(), out);
        }
        return out;
    }

    /** Σ_{i,j in [from, to)} d_i M_ij d_j for the n × n matrix M; rows of M added as axpy (vectorisable). */
    static double quadraticForm(float[] d, int from, int to, float[] m, int n) {
        float[] acc = new float[to - from];
        for (int i = from; i < to; i++) {
            float di = d[i];
            if (di == 0) {
                continue;
            }
            int base = i * n + from;
            for (int j = 0; j < acc.length; j++) {
                acc[j] += di * m[base + j];
            }
        }
        double sum = 0;
        for (int j = 0; j < acc.length; j++) {
            sum += (double) d[from + j] * acc[j];
        }
        return sum;
    }

    /**
     * AWQ's clipping on the scaled weight: for each row and group of {@code clipGroup} columns, the bound
     * (1 − i/grid)·max|w| (i < maxShrink·grid) whose quantization error against the unclipped weights,
     * Δ_g M_gg Δ_gᵀ on the group's block of the (rescaled) second moments, is smallest.
     */
    private Scaling.Clip clipSearch(TransformInput in, ScaledTensors scaled, String name) {
        QuantTarget target = in.target(name).orElseThrow();
        TensorView v = scaled.tensor(name);
        float[] w = readAll(v);
        int cols = Math.toIntExact(v.rowLength());
        int rows = Math.toIntExact(v.rows());
        ChannelStats st = in.stats().get(name);
        float[] c = scaled.inputScale(name).orElse(null);
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
            float[] deq = roundTrip(v, clippedW, target, importance);
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < cols; col++) {
                    delta[col] = deq[r * cols + col] - w[r * cols + col];
                }
                for (int gi = 0; gi < groups; gi++) {
                    double err = quadraticForm(delta, gi * gs, Math.min(cols, (gi + 1) * gs), m, cols);
                    int k = r * groups + gi;
                    if (err < bestErr[k]) {
                        bestErr[k] = err;
                        bestBound[k] = ratio * orgMax[k];
                    }
                }
            }
        }
        return new Scaling.Clip(gs, bestBound);
    }

    static float[] readAll(TensorView v) {
        int cols = Math.toIntExact(v.rowLength());
        float[] all = new float[Math.toIntExact(v.rows() * cols)];
        for (long r = 0; r < v.rows(); r++) {
            v.readRow(r, all, Math.toIntExact(r * cols));
        }
        return all;
    }
}
