package dev.quant4j.importance.cost;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code weighted-error} estimator: the importance-weighted squared error of a tensor's round trip,
 * {@code Σ_j imatrix_j · Σ_rows (w − ŵ)²}, the quantity llama.cpp's quantizers minimise. With imatrix values
 * being mean squared activations this is the expected squared error the tensor adds to its output per token.
 *
 * <p>Sampling: the sum over the sampled rows is scaled by {@code rows / sampled}; its standard error is
 * {@code rows · s / √n · √(1 − n/rows)} with {@code s} the standard deviation of the per-row costs of the
 * sample (finite-population correction included; 0 when every row was used).
 *
 * <p>Without importance data for the tensor the caller may give column weights (the planner derives
 * {@code output.weight}'s from the final norm's scale); otherwise every column weighs 1, except for token
 * embeddings (a lookup reads one row per token, so the expected error per token is the mean row error:
 * weight 1/rows).
 */
public final class WeightedError {
    public static final String NAME = "weighted-error";

    private WeightedError() {
    }

    /**
     * Round-trips the sample through {@code q} and returns the estimated cost.
     *
     * @param name        tensor name (for messages)
     * @param importance  the tensor's importance statistics, or null
     * @param costWeights column weights of the cost when {@code importance} is null, or null
     * @param lookupTable true for a token embedding (rows are looked up, not multiplied)
     */
    static Cost measure(String type, String name, RowSample sample, TensorActivationStats importance,
                        boolean lookupTable, Quantizer q) {
        return measure(type, name, sample, importance, null, lookupTable, q);
    }

    static Cost measure(String type, String name, RowSample sample, TensorActivationStats importance,
                        TensorActivationStats costWeights, boolean lookupTable, Quantizer q) {
        int n = sample.rowLength();
        int count = sample.count();
        double[] rowCost = new double[count];
        int slices = importance == null ? 1 : importance.slices();
        long rowsPerSlice = Math.max(1, sample.rows() / slices);
        int start = 0;
        while (start < count) {
            int slice = (int) Math.min(slices - 1, sample.rowIndex()[start] / rowsPerSlice);
            int end = start;
            while (end < count && Math.min(slices - 1, sample.rowIndex()[end] / rowsPerSlice) == slice) {
                end++;
            }
            float[] imp = importance == null ? null : importance.slice(slice);
            float[] weights = imp != null ? imp : costWeights == null ? null : costWeights.slice(0);
            roundTrip(name, sample, start, end, imp, weights, q, lookupTable ? 1.0 / sample.rows() : 1.0, rowCost);
            start = end;
        }
        double sum = 0;
        for (double c : rowCost) {
            sum += c;
        }
        double value = sum * sample.scale();
        double se = 0;
        if (!sample.complete() && count > 1) {
            double mean = sum / count;
            double ss = 0;
            for (double c : rowCost) {
                ss += (c - mean) * (c - mean);
            }
            double sd = Math.sqrt(ss / (count - 1));
            se = sample.rows() * sd / Math.sqrt(count) * Math.sqrt(1 - (double) count / sample.rows());
        }
        return new Cost(type, value, se);
    }

    private static void roundTrip(String name, RowSample sample, int from, int to, float[] imp, float[] weights,
                                  Quantizer q, double uniformWeight, double[] rowCost) {
        int n = sample.rowLength();
        int m = to - from;
        float[] w = new float[m * n];
        System.arraycopy(sample.values(), from * n, w, 0, m * n);
        Shape shape = Shape.of(n, m);
        TensorView view = TensorView.ofFloats(name, shape, w);
        float[] back = new float[m * n];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment enc = arena.allocate(q.encodedBytes(name, shape), 16);
            q.quantize(view, 0, m, imp, enc);
            q.dequantize(enc, shape, 0, m, back);
        }
        for (int r = 0; r < m; r++) {
            double s = 0;
            int base = r * n;
            for (int j = 0; j < n; j++) {
                double d = w[base + j] - back[base + j];
                s += (weights == null ? uniformWeight : weights[j]) * d * d;
            }
            rowCost[from + r] = s;
        }
    }
}
