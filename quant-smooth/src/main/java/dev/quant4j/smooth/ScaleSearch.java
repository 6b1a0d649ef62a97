package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Picks, among candidate per-channel scale vectors for one group, the one whose quantization (with each member's
 * target quantizer) causes the least output error on the calibration second moments. Candidates are evaluated
 * in parallel, one member in memory at a time; the first of equal errors wins, so the choice is deterministic.
 *
 * <p>A 3-D expert weight in a group of whole tensors (the experts' gate/up next to the router) contributes one
 * member per expert, each with that expert's statistics (the tokens routed to it) and its error weighted by the
 * share of the group's tokens it received: the error summed over tokens, divided by the token count.
 */
final class ScaleSearch {
    /**
     * A weight (or one expert's slice of a 3-D weight) of the group that will be quantized.
     *
     * @param expert -1 for a 2-D weight, else the expert whose rows this member is
     * @param stats  the statistics of its input
     * @param weight the factor on its output error (the share of the group's tokens it sees)
     */
    record Member(String name, int expert, int experts, QuantTarget target, ChannelStats stats, double weight) {
        /** This member's rows as a 2-D F32 view (an expert's slice of a 3-D weight). */
        TensorView read(TransformInput in) {
            TensorView v = in.view(name);
            if (expert < 0) {
                return v;
            }
            int cols = Math.toIntExact(v.rowLength());
            long per = v.rows() / experts;
            float[] values = new float[Math.toIntExact(per * cols)];
            long first = expert * per;
            for (long r = 0; r < per; r++) {
                v.readRow(first + r, values, Math.toIntExact(r * cols));
            }
            return TensorView.ofFloats(name, Shape.of(cols, per), values);
        }
    }

    private final TransformInput in;
    private final LayerGroups.Group group;
    private final List<Member> members;
    private final ChannelStats stats;

    private ScaleSearch(TransformInput in, LayerGroups.Group group, List<Member> members, ChannelStats stats) {
        this.in = in;
        this.group = group;
        this.members = members;
        this.stats = stats;
    }

    /**
     * The search for {@code g}, or null when none of its weights has a target quantizer or it is one expert's
     * group and that expert received no calibration token.
     */
    static ScaleSearch of(TransformInput in, LayerGroups.Group g, String transform) {
        if (g.weights().stream().noneMatch(w -> in.target(w).isPresent())) {
            return null;
        }
        ChannelStats st = g.stats(in);
        if (st == null && g.expert() >= 0) {
            return null;
        }
        requireMoments(st, g.weights().getFirst(), transform);
        List<Member> members = new ArrayList<>();
        for (String w : g.weights()) {
            QuantTarget t = in.target(w).orElse(null);
            if (t == null) {
                continue;
            }
            TensorInfo info = in.find(w).orElseThrow();
            if (info.shape().rank() < 3) {
                members.add(new Member(w, -1, 1, t, st, 1));
            } else if (g.expert() >= 0) {
                members.add(new Member(w, g.expert(), g.experts(), t, st, 1));
            } else {
                int experts = Math.toIntExact(info.shape().ne(2));
                for (int e = 0; e < experts; e++) {
                    ChannelStats es = in.expertStats(w, e).orElse(null);
                    if (es != null && es.count() > 0) { // an expert never routed to adds no error
                        requireMoments(es, ChannelStats.expertKey(w, e), transform);
                        members.add(new Member(w, e, experts, t, es, (double) es.count() / st.count()));
                    }
                }
            }
        }
        return new ScaleSearch(in, g, members, st);
    }

    private static void requireMoments(ChannelStats st, String weight, String transform) {
        if (st == null || !st.hasSecondMoments()) {
            throw new QuantException(ErrorCode.MISSING_CALIBRATION, transform + ": no calibration second moments for '"
                    + weight + "'; give calibration text");
        }
    }

    static QuantException noTargets(String transform) {
        return new QuantException(ErrorCode.INVALID_OPTION, transform + ": no weight has a target quantizer; the"
                + " search runs against the quantizer each weight will be written with: use 'quant quantize"
                + " --transform " + transform + "' (or 'quant transform --target TYPE')");
    }

    List<Member> members() {
        return members;
    }

    /** The statistics of the group's input (all its tokens). */
    ChannelStats stats() {
        return stats;
    }

    /** Summed (weighted) output error of every member for each candidate (per-channel scales). */
    double[] errors(List<float[]> candidates) {
        List<float[]> expanded = candidates.stream().map(group::expand).toList();
        double[] total = new double[candidates.size()];
        for (Member m : members) {
            TensorView v = m.read(in);
            float[] w = OutputError.readAll(v);
            float[] ms = m.stats().meanSquares();
            float[] moments = m.stats().secondMoments();
            double[] err = IntStream.range(0, expanded.size()).parallel()
                    .mapToDouble(i -> OutputError.of(v, w, expanded.get(i), m.target(), ms, moments)).toArray();
            for (int i = 0; i < total.length; i++) {
                total[i] += m.weight() * err[i];
            }
        }
        return total;
    }

    static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }
}
