package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorView;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Picks, among candidate per-channel scale vectors for one group, the one whose quantization (with each member's
 * target quantizer) causes the least output error on the calibration second moments. Candidates are evaluated
 * in parallel; the first of equal errors wins, so the choice is deterministic.
 */
final class ScaleSearch {
    /** A weight of the group that will be quantized, with its quantizer. */
    record Member(String name, QuantTarget target) {
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

    /** The search for {@code g}, or null when none of its weights has a target quantizer. */
    static ScaleSearch of(TransformInput in, LayerGroups.Group g, String transform) {
        List<Member> members = g.weights().stream()
                .flatMap(w -> in.target(w).map(t -> new Member(w, t)).stream()).toList();
        if (members.isEmpty()) {
            return null;
        }
        ChannelStats st = in.stats(g.weights().getFirst()).orElse(null);
        if (st == null || !st.hasSecondMoments()) {
            throw new QuantException(ErrorCode.MISSING_CALIBRATION, transform + ": no calibration second moments for '"
                    + g.weights().getFirst() + "'; give calibration text");
        }
        return new ScaleSearch(in, g, members, st);
    }

    static QuantException noTargets(String transform) {
        return new QuantException(ErrorCode.INVALID_OPTION, transform + ": no weight has a target quantizer; the"
                + " search runs against the quantizer each weight will be written with: use 'quant quantize"
                + " --transform " + transform + "' (or 'quant transform --target TYPE')");
    }

    List<Member> members() {
        return members;
    }

    ChannelStats stats() {
        return stats;
    }

    /** Summed output error of every member for each candidate (per-channel scales). */
    double[] errors(List<float[]> candidates) {
        float[] ms = stats.meanSquares();
        float[] moments = stats.secondMoments();
        List<float[]> weights = members.stream().map(m -> OutputError.readAll(in.view(m.name()))).toList();
        return IntStream.range(0, candidates.size()).parallel().mapToDouble(i -> {
            float[] s = group.expand(candidates.get(i));
            double total = 0;
            for (int m = 0; m < members.size(); m++) {
                TensorView v = in.view(members.get(m).name());
                total += OutputError.of(v, weights.get(m), s, members.get(m).target(), ms, moments);
            }
            return total;
        }).toArray();
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
