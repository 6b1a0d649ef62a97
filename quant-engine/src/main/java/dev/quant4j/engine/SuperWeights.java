package dev.quant4j.engine;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.OutlierTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Data-free super-weight detection (after Yu et al. 2024, "The Super Weight"): in every {@code ffn_down} matrix,
 * score each weight {@code |w_ij| · √imatrix_j} (column j is the input channel; without an imatrix the score is
 * {@code |w_ij|}); the top 0.01 % of all scores form the outlier tail, and a super weight is a weight whose score
 * is at least {@code factor} times the tail's threshold (its 99.99th percentile). Two streaming passes over the
 * ffn_down tensors, memory flat. The activation-driven detection (spikes at ffn_down's input and output on
 * calibration text) needs the forward pass and is not here.
 */
public final class SuperWeights {
    /** Default multiple of the 99.99th percentile score that makes a weight a super weight. */
    public static final double DEFAULT_FACTOR = 8;
    public static final double TAIL = 0.9999;
    private static final int MAX_REPORTED = 256;

    /**
     * One super weight.
     *
     * @param layer  the block of {@code blk.N.}, -1 without one
     * @param row    output channel (the matrix row)
     * @param column input channel (the position within the row)
     * @param ratio  score divided by the tail threshold
     */
    public record SuperWeight(String tensor, int layer, long row, long column, float value, double score, double ratio) {
    }

    /** What a scan found, with the threshold it used. */
    public record Result(List<SuperWeight> found, long weightsScanned, double tailThreshold, double factor,
                         boolean importanceWeighted) {
        public Result {
            found = List.copyOf(found);
        }
    }

    private SuperWeights() {
    }

    public static Result scan(QuantRegistry registry, Path model, Path imatrix, double factor) throws IOException {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("factor must be > 1, got " + factor);
        }
        CalibrationStats stats = imatrix == null ? null : Workers.calibrator(registry.calibrator("imatrix"))
                .importFile(imatrix, f -> Models.formatFor(registry, f).open(f));
        try (ModelReader reader = Models.formatFor(registry, model).open(model)) {
            List<TensorInfo> down = reader.tensors().stream()
                    .filter(t -> t.name().contains("ffn_down") && t.type().isFloat() && t.shape().rank() >= 2).toList();
            OutlierTail tail = new OutlierTail();
            for (TensorInfo t : down) {
                visit(reader.view(t), importance(stats, t), (r, c, w, s) -> tail.add(s));
            }
            double threshold = tail.quantile(TAIL);
            List<SuperWeight> found = new ArrayList<>();
            for (TensorInfo t : down) {
                visit(reader.view(t), importance(stats, t), (r, c, w, s) -> {
                    if (s >= factor * threshold && s > 0) {
                        found.add(new SuperWeight(t.name(), TensorInfo.layerOf(t.name()), r, c, w, s, s / threshold));
                    }
                });
            }
            found.sort(Comparator.comparingDouble(SuperWeight::score).reversed());
            return new Result(found.size() > MAX_REPORTED ? found.subList(0, MAX_REPORTED) : found, tail.count(),
                    threshold, factor, stats != null);
        }
    }

    private interface Visitor {
        void weight(long row, long column, float value, double score);
    }

    private static void visit(TensorView v, TensorActivationStats imp, Visitor visitor) {
        int n = (int) v.rowLength();
        long rows = v.rows();
        long perSlice = imp == null ? rows : Math.max(1, rows / imp.slices());
        float[] row = new float[n];
        float[] scale = null;
        int slice = -1;
        for (long r = 0; r < rows; r++) {
            if (imp != null && Math.min(imp.slices() - 1, r / perSlice) != slice) {
                slice = (int) Math.min(imp.slices() - 1, r / perSlice);
                scale = imp.slice(slice);
                for (int j = 0; j < n; j++) {
                    scale[j] = (float) Math.sqrt(Math.max(0, scale[j]));
                }
            }
            v.readRow(r, row, 0);
            for (int j = 0; j < n; j++) {
                double s = Math.abs(row[j]) * (scale == null ? 1 : scale[j]);
                visitor.weight(r, j, row[j], s);
            }
        }
    }

    private static TensorActivationStats importance(CalibrationStats stats, TensorInfo t) {
        if (stats == null) {
            return null;
        }
        TensorActivationStats s = stats.forTensor(t.name()).orElse(null);
        if (s == null || (long) s.columns() * s.slices() % t.shape().rowLength() != 0) {
            return null;
        }
        return s.columns() == t.shape().rowLength() ? s : new TensorActivationStats(s.tensor(),
                (int) t.shape().rowLength(), (int) ((long) s.columns() * s.slices() / t.shape().rowLength()), s.count(),
                s.meanSquares());
    }
}
