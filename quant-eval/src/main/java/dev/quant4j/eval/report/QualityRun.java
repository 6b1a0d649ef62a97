package dev.quant4j.eval.report;

import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.KldBaseReader;
import dev.quant4j.eval.metrics.KldRun;
import dev.quant4j.eval.metrics.KldStatistics;
import dev.quant4j.eval.metrics.PerplexityResult;
import dev.quant4j.eval.metrics.PerplexityRun;
import dev.quant4j.eval.superweight.ActivationSuperWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link QualityReport}: the original runs the text once (perplexity, its log-probabilities kept in a
 * llama-perplexity base file next to nothing else, deleted after), the quantized model is compared with
 * {@link KldRun}, every tensor whose type changed is decoded from both files row by row for its relative RMSE, and
 * super weights found from the original's activations on the first chunks are read back from the quantized model.
 */
public final class QualityRun {
    /** Chunks the super-weight scan runs (spikes show on any text; more adds little). */
    static final int SPIKE_CHUNKS = 4;

    private final int nCtx;
    private final int maxChunks;
    private final ChunkListener listener;

    /**
     * @param nCtx      tokens per chunk
     * @param maxChunks at most this many chunks (all when &lt;= 0)
     * @param listener  per-chunk progress of the comparison (llama-perplexity's table rows)
     */
    public QualityRun(int nCtx, int maxChunks, ChunkListener listener) {
        this.nCtx = nCtx;
        this.maxChunks = maxChunks;
        this.listener = listener;
    }

    /** Compares {@code quantized} with {@code base} on {@code tokens} (the text tokenized by the base). */
    public QualityReport run(EvaluationModel base, EvaluationModel quantized, int[] tokens) throws IOException {
        ChunkPlan plan = ChunkPlan.of(tokens.length, nCtx, maxChunks);
        Path scratch = Files.createTempFile("quant-report-base", ".kld");
        PerplexityResult ppl;
        KldStatistics kld;
        try {
            ppl = new PerplexityRun(plan, base.chunkBos(), ChunkListener.NONE).run(tokens, base, scratch);
            try (KldBaseReader reader = KldBaseReader.open(scratch)) {
                kld = new KldRun(quantized.chunkBos(), listener).run(reader, quantized);
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
        List<QualityReport.TensorError> tensors = tensorErrors(base, quantized);
        List<QualityReport.WeightCheck> sw = superWeights(base, quantized, tokens);
        long elements = 0;
        long bytes = 0;
        for (TensorInfo t : quantized.runner().tensors()) {
            elements += t.shape().elementCount();
            bytes += t.byteSize();
        }
        return new QualityReport(base.runner().path().toString(), quantized.runner().path().toString(), nCtx, ppl, kld,
                tensors, layers(tensors), sw, elements, bytes, Files.size(quantized.runner().path()));
    }

    private static List<QualityReport.TensorError> tensorErrors(EvaluationModel base, EvaluationModel quantized) {
        Map<String, TensorInfo> original = new HashMap<>();
        base.runner().tensors().forEach(t -> original.put(t.name(), t));
        List<QualityReport.TensorError> out = new ArrayList<>();
        for (TensorInfo q : quantized.runner().tensors()) {
            TensorInfo b = original.get(q.name());
            if (b == null || b.type() == q.type() || !b.shape().equals(q.shape())) {
                continue;
            }
            int n = Math.toIntExact(q.shape().rowLength());
            int rows = Math.toIntExact(q.shape().elementCount() / n);
            int step = Math.max(1, (1 << 16) / n);
            float[] x = new float[step * n];
            float[] y = new float[step * n];
            double err = 0;
            double sig = 0;
            for (int r = 0; r < rows; r += step) {
                int c = Math.min(step, rows - r);
                base.runner().readRows(q.name(), r, c, x);
                quantized.runner().readRows(q.name(), r, c, y);
                for (int i = 0; i < c * n; i++) {
                    double d = (double) x[i] - y[i];
                    err += d * d;
                    sig += (double) x[i] * x[i];
                }
            }
            double rel = sig == 0 ? (err == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(err / sig);
            out.add(new QualityReport.TensorError(q.name(), TensorInfo.layerOf(q.name()), b.type().lowerName(), q.type().lowerName(),
                    q.shape().elementCount(), 8.0 * q.byteSize() / q.shape().elementCount(), rel));
        }
        return out;
    }

    /** Per layer: sqrt(Σ rel² · n / Σ n), the element-weighted relative RMSE of its changed tensors. */
    static List<QualityReport.LayerError> layers(List<QualityReport.TensorError> tensors) {
        Map<Integer, double[]> acc = new TreeMap<>();
        for (QualityReport.TensorError t : tensors) {
            double[] a = acc.computeIfAbsent(t.layer(), k -> new double[2]);
            a[0] += t.relativeRmse() * t.relativeRmse() * t.elements();
            a[1] += t.elements();
        }
        List<QualityReport.LayerError> out = new ArrayList<>();
        acc.forEach((layer, a) -> out.add(new QualityReport.LayerError(layer, (long) a[1], Math.sqrt(a[0] / a[1]),
                Double.NaN)));
        return out;
    }

    private List<QualityReport.WeightCheck> superWeights(EvaluationModel base, EvaluationModel quantized, int[] tokens) {
        ActivationSuperWeights.Result r = ActivationSuperWeights.scan(base, tokens, nCtx, SPIKE_CHUNKS,
                ActivationSuperWeights.DEFAULT_FACTOR);
        List<QualityReport.WeightCheck> out = new ArrayList<>();
        for (ActivationSuperWeights.LayerSpike s : r.superWeights()) {
            int n = Math.toIntExact(quantized.runner().tensors().stream().filter(t -> t.name().equals(s.tensor()))
                    .findFirst().orElseThrow().shape().rowLength());
            float[] row = new float[n];
            quantized.runner().readRows(s.tensor(), s.row(), 1, row);
            out.add(new QualityReport.WeightCheck(s.tensor(), s.layer(), s.row(), s.column(), s.value(), row[s.column()]));
        }
        return out;
    }
}
