package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayList;
import java.util.List;

/**
 * SmoothQuant: for each group of linears reading one input ({@link LayerGroups}), s_j = max|X_j|^α /
 * max|W_j|^(1−α) over input channel j (under GQA, maxima over the query-head columns that share a KV channel);
 * the weights' columns are multiplied by s and the producer of the input divided by s. For the router and
 * experts' shared input the maxima are the router's (every token); an expert's ffn_down uses the tokens routed
 * to it and that expert's rows.
 */
final class SmoothQuant implements Transform {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SmoothQuant.class);

    private final double alpha;
    private final int search;
    private final boolean output;

    SmoothQuant(double alpha, int search, boolean output) {
        this.alpha = alpha;
        this.search = search;
        this.output = output;
    }

    @Override
    public TransformOutput apply(TransformInput model) {
        TransformInput in = output ? UntiedHead.of(model, "smoothquant") : model;
        Scaling out = new Scaling();
        int searched = 0;
        List<LayerGroups.Group> groups = LayerGroups.of(in, "smoothquant", output);
        LayerGroups.requireExpertStats(in, groups, "smoothquant");
        for (LayerGroups.Group g : groups) {
            float[] xMax = new float[g.channels()];
            float[] wMax = new float[g.channels()];
            for (String w : g.weights()) {
                channelMax(g, activationMax(in, g, w), xMax);
                columnAbsMax(g, in.view(w), wMax);
            }
            if (allZero(xMax) && g.expert() >= 0) {
                LOG.debug("smoothquant: expert {} of {} received no calibration token; left unscaled", g.expert(),
                        g.weights().getFirst());
                continue;
            }
            if (allZero(xMax)) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "smoothquant: no calibration statistics for '"
                        + g.weights().getFirst() + "'; give calibration text");
            }
            if (search == 0) {
                g.scale(scales(xMax, wMax, alpha), out);
                continue;
            }
            ScaleSearch ss = ScaleSearch.of(in, g, "smoothquant");
            if (ss == null) {
                continue;
            }
            searched++;
            // candidate 0: no scaling; then α = 0, 1/n, …, 1
            List<float[]> candidates = new ArrayList<>();
            float[] ones = new float[g.channels()];
            java.util.Arrays.fill(ones, 1f);
            candidates.add(ones);
            for (int i = 0; i <= search; i++) {
                candidates.add(scales(xMax, wMax, (double) i / search));
            }
            double[] errors = ss.errors(candidates);
            int best = ScaleSearch.argmin(errors);
            LOG.debug("smoothquant {}: {} (error {} vs {} unscaled)", g.weights(),
                    best == 0 ? "no scaling" : "alpha " + (double) (best - 1) / search, errors[best], errors[0]);
            if (best != 0) {
                g.scale(candidates.get(best), out);
            }
        }
        if (search > 0 && searched == 0) {
            throw ScaleSearch.noTargets("smoothquant");
        }
        return out.build(in);
    }

    /** Weight {@code w}'s input maxima (an expert group's: its expert's); null for the experts of a whole group. */
    private static float[] activationMax(TransformInput in, LayerGroups.Group g, String w) {
        ChannelStats st = g.expert() >= 0 ? in.expertStats(w, g.expert()).orElse(null) : in.stats(w).orElse(null);
        return st == null ? null : st.absMax();
    }

    private static void channelMax(LayerGroups.Group g, float[] perColumn, float[] max) {
        if (perColumn == null) {
            return;
        }
        for (int c = 0; c < perColumn.length; c++) {
            int k = g.channel().applyAsInt(c);
            max[k] = Math.max(max[k], perColumn[c]);
        }
    }

    private static void columnAbsMax(LayerGroups.Group g, TensorView w, float[] max) {
        int n = Math.toIntExact(w.rowLength());
        float[] row = new float[n];
        long[] range = g.rows(w); // an expert group's slice; whole 3-D tensors share the group's factors
        for (long r = range[0]; r < range[0] + range[1]; r++) {
            w.readRow(r, row, 0);
            for (int c = 0; c < n; c++) {
                int k = g.channel().applyAsInt(c);
                max[k] = Math.max(max[k], Math.abs(row[c]));
            }
        }
    }

    private static boolean allZero(float[] v) {
        for (float x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** s_j = max|X_j|^α / max|W_j|^(1−α); channels without signal keep s = 1. */
    static float[] scales(float[] xMax, float[] wMax, double alpha) {
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
}
