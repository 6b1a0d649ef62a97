package dev.quant4j.eval.superweight;

import dev.quant4j.eval.evaluation.EvaluationModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Super-weight detection from activations (Yu et al. 2024, "The Super Weight"): run calibration text, record the
 * largest |output| of every layer's {@code ffn_down} and, on the token where it occurs, the input channel with the
 * largest |input|. A layer whose output spike is at least {@code factor} times the median of all layers' spikes
 * holds a super weight at (row = output channel of the spike, column = input channel of the spike) when that one
 * weight times its input makes at least half of the spike — the check that a single weight, not a sum of many,
 * produced it.
 */
public final class ActivationSuperWeights {
    /** Default multiple of the median per-layer spike. */
    public static final double DEFAULT_FACTOR = 8;
    /** Share of the output spike the single weight must produce. */
    public static final double MIN_SHARE = 0.5;

    /**
     * The spike of one layer.
     *
     * @param output      the largest |ffn_down output| (signed) seen on the text
     * @param input       the largest |ffn_down input| (signed) on the same token
     * @param value       the weight at (row, column)
     * @param share       {@code value · input / output}: the part of the spike that weight produced
     * @param ratio       |output| over the median of all layers' spikes
     * @param superWeight true when ratio and share pass the thresholds
     */
    public record LayerSpike(String tensor, int layer, int row, int column, float output, float input, float value,
                             double share, double ratio, boolean superWeight) {
    }

    /** Every layer's spike and the threshold used. */
    public record Result(List<LayerSpike> layers, int tokens, double medianSpike, double factor) {
        public Result {
            layers = List.copyOf(layers);
        }

        public List<LayerSpike> superWeights() {
            return layers.stream().filter(LayerSpike::superWeight).toList();
        }
    }

    private ActivationSuperWeights() {
    }

    /**
     * Runs {@code tokens} through {@code model} in chunks of {@code nCtx} (BOS first where the vocabulary adds it),
     * at most {@code maxChunks} chunks (all when &lt;= 0).
     */
    public static Result scan(EvaluationModel model, int[] tokens, int nCtx, int maxChunks, double factor) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("factor must be > 1, got " + factor);
        }
        if (nCtx < 2) {
            throw new IllegalArgumentException("context must be at least 2 tokens, got " + nCtx);
        }
        SpikeObserver observer = new SpikeObserver();
        int chunks = Math.max(1, (tokens.length + nCtx - 1) / nCtx);
        if (maxChunks > 0) {
            chunks = Math.min(chunks, maxChunks);
        }
        int seen = 0;
        for (int k = 0; k < chunks; k++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("interrupted");
            }
            int[] chunk = Arrays.copyOfRange(tokens, k * nCtx, Math.min(tokens.length, (k + 1) * nCtx));
            if (model.chunkBos() >= 0) {
                chunk[0] = model.chunkBos();
            }
            model.runner().newSession(observer).append(chunk);
            seen += chunk.length;
        }
        return decide(model, observer, seen, factor);
    }

    private static Result decide(EvaluationModel model, SpikeObserver observer, int tokens, double factor) {
        double[] sizes = observer.spikes().values().stream().mapToDouble(s -> Math.abs(s.output())).sorted().toArray();
        double median = sizes.length == 0 ? 0 : sizes.length % 2 == 1 ? sizes[sizes.length / 2]
                : (sizes[sizes.length / 2 - 1] + sizes[sizes.length / 2]) / 2;
        List<LayerSpike> layers = new ArrayList<>();
        for (SpikeObserver.Spike s : observer.spikes().values()) {
            float[] row = new float[Math.toIntExact(rowLength(model, s.tensor()))];
            model.runner().readRows(s.tensor(), s.outChannel(), 1, row);
            float w = row[s.inChannel()];
            double share = s.output() == 0 ? 0 : (double) w * s.input() / s.output();
            double ratio = median == 0 ? 0 : Math.abs(s.output()) / median;
            layers.add(new LayerSpike(s.tensor(), s.layer(), s.outChannel(), s.inChannel(), s.output(), s.input(), w,
                    share, ratio, ratio >= factor && share >= MIN_SHARE));
        }
        return new Result(layers, tokens, median, factor);
    }

    private static long rowLength(EvaluationModel model, String tensor) {
        return model.runner().tensors().stream().filter(t -> t.name().equals(tensor)).findFirst().orElseThrow()
                .shape().rowLength();
    }
}
