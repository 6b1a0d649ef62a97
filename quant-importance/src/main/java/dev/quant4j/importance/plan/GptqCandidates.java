package dev.quant4j.importance.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.PlanContext;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.importance.gptq.GptqOptions;
import dev.quant4j.importance.gptq.GptqQuantizerProvider;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GPTQ variants of the candidate types ({@code importance} option {@code gptq-hessians=FILE}). A variant writes the
 * same type, so it has the same size as plain RTN of that type: of the two, the knapsack would only ever take the
 * cheaper one, and offering the variant is exactly "the tensor's cost at that type is the smaller of the two".
 * The weighted-error cost cannot see what GPTQ gains (it lowers the output error {@code e H eᵀ} by raising the
 * weight error), so the variant's cost is the type's RTN cost times the ratio of the two output errors measured
 * on sampled rows with the tensor's full Hessian: {@code Σ_r e_r H e_rᵀ} over the same rows, GPTQ vs RTN (both
 * quantizers with the tensor's importance). GPTQ's rows are independent given the Hessian, so sampled rows are
 * an unbiased sample. Dense tensors with a Hessian only; MoE experts keep RTN.
 */
final class GptqCandidates {
    /** Rows measured per tensor and type at most. */
    static final int SAMPLE_ROWS = 64;

    private final String file;
    private final Map<String, Map<DType, Double>> ratios;

    private GptqCandidates(String file, Map<String, Map<DType, Double>> ratios) {
        this.file = file;
        this.ratios = ratios;
    }

    static GptqCandidates none() {
        return new GptqCandidates(null, Map.of());
    }

    /** One tensor to offer variants for: its importance (dense, or null) and its block-quantized candidates. */
    record Job(String tensor, TensorActivationStats importance, List<DType> types) {
    }

    static GptqCandidates measure(PlanContext ctx, String hessians, List<Job> jobs) {
        Map<String, Map<DType, Double>> out = new HashMap<>();
        Map<DType, Quantizer> gptq = new HashMap<>();
        try (HessianFile h = HessianFile.open(Path.of(hessians))) {
            for (Job job : jobs) {
                double[] hessian = h.has(job.tensor(), -1) && h.samples(job.tensor(), -1) > 0
                        ? h.hessian(job.tensor(), -1) : null;
                if (hessian == null || job.importance() != null && job.importance().slices() != 1) {
                    continue;
                }
                TensorView all = ctx.tensor(job.tensor());
                TensorView sample = sampleRows(all);
                float[] imp = job.importance() == null ? null : job.importance().slice(0);
                Map<DType, Double> byType = new HashMap<>();
                for (DType type : job.types()) {
                    if (type.blockSize() < 2 || type.rowBytes(all.rowLength()) < 0) {
                        continue;
                    }
                    String name = type.lowerName();
                    Quantizer rtn = ctx.quantizer(name, Map.of());
                    Quantizer g = gptq.computeIfAbsent(type, t -> ctx.quantizer(GptqQuantizerProvider.NAME,
                            Map.of("type", name, "hessians", hessians)));
                    double er = outputError(sample, roundTrip(rtn, sample, imp), hessian);
                    double eg = outputError(sample, roundTrip(g, sample, imp), hessian);
                    byType.put(type, er > 0 ? eg / er : 1.0);
                }
                out.put(job.tensor(), byType);
            }
        } catch (IOException e) {
            throw new QuantException(ErrorCode.IO, "importance: gptq-hessians " + hessians + ": " + e.getMessage(), e);
        }
        return new GptqCandidates(hessians, out);
    }

    /** Factor on the RTN cost of {@code type} for {@code tensor}: GPTQ's output-error ratio when below 1, else 1. */
    double factor(String tensor, DType type) {
        return Math.min(1.0, ratios.getOrDefault(tensor, Map.of()).getOrDefault(type, 1.0));
    }

    /** {@code tp} written by the gptq quantizer in front of its own when its variant is the cheaper one. */
    TensorPlan apply(TensorPlan tp) {
        if (tp.isCopy() || factor(tp.name(), tp.targetType()) >= 1.0) {
            return tp;
        }
        return new TensorPlan(tp.name(), tp.shape(), tp.sourceType(), tp.targetType(), GptqQuantizerProvider.NAME,
                Map.of("type", tp.quantizer(), "type-options", GptqOptions.encode(tp.options()), "hessians", file),
                tp.rule() + String.format(Locale.ROOT, ", gptq ×%.3f", factor(tp.name(), tp.targetType())), tp.note());
    }

    /** For the summary: tensors measured, and for how many of them the chosen type is a GPTQ variant. */
    String summary(Map<String, DType> chosen) {
        long gptq = chosen.entrySet().stream().filter(e -> factor(e.getKey(), e.getValue()) < 1.0).count();
        return String.format(Locale.ROOT, "gptq: %d tensors measured with the Hessians of %s; %d written with GPTQ",
                ratios.size(), file, gptq);
    }

    private static TensorView sampleRows(TensorView all) {
        long rows = all.rows();
        int n = (int) Math.min(rows, SAMPLE_ROWS);
        int cols = Math.toIntExact(all.rowLength());
        float[] w = new float[n * cols];
        for (int i = 0; i < n; i++) {
            all.readRow(rows * i / n, w, i * cols);
        }
        return TensorView.ofFloats(all.name(), Shape.of(cols, n), w);
    }

    private static float[] roundTrip(Quantizer q, TensorView v, float[] imp) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.toIntExact(q.encodedBytes(v.name(), v.shape()))]);
        q.quantize(v, 0, v.rows(), imp, bytes);
        float[] out = new float[Math.toIntExact(v.shape().elementCount())];
        q.dequantize(bytes, v.shape(), 0, v.rows(), out);
        return out;
    }

    /** {@code Σ_r e_r H e_rᵀ} with {@code e = w − ŵ} (H symmetric, row-major). */
    static double outputError(TensorView w, float[] q, double[] h) {
        int cols = Math.toIntExact(w.rowLength());
        int rows = Math.toIntExact(w.rows());
        float[] src = new float[rows * cols];
        w.readRows(0, rows, src, 0);
        double[] e = new double[cols];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                e[j] = src[r * cols + j] - q[r * cols + j];
            }
            for (int i = 0; i < cols; i++) {
                double acc = 0;
                int hi = i * cols;
                for (int j = 0; j < cols; j++) {
                    acc += h[hi + j] * e[j];
                }
                sum += e[i] * acc;
            }
        }
        return sum;
    }
}
