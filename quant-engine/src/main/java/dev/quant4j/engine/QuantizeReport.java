package dev.quant4j.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a job (or of a dry run, which writes nothing and measures no error).
 *
 * @param input           input model
 * @param outputs         files written (empty for a dry run)
 * @param planner         planner name and the preset or method it ran
 * @param dryRun          true when nothing was written
 * @param tensors         one result per tensor, in output order
 * @param warnings        warnings of the plan and the run
 * @param inputBytes      tensor data read
 * @param outputBytes     tensor data written
 * @param elements        weights in the model
 * @param seconds         wall time of the whole job
 * @param threads         worker threads used
 * @param predictedPeakBytes estimate of the job's peak working memory beyond the JVM baseline
 * @param superWeights    protected super weights, each decoded from the output after writing (empty when
 *                        protection is off or none was found)
 */
public record QuantizeReport(Path input, List<Path> outputs, String planner, boolean dryRun, List<TensorResult> tensors,
                             List<String> warnings, long inputBytes, long outputBytes, long elements, double seconds,
                             int threads, long predictedPeakBytes, List<ProtectedWeight> superWeights) {
    public QuantizeReport {
        superWeights = List.copyOf(superWeights);
        outputs = List.copyOf(outputs);
        tensors = List.copyOf(tensors);
        warnings = List.copyOf(warnings);
    }

    public double bitsPerWeight() {
        return elements == 0 ? 0 : 8.0 * outputBytes / elements;
    }

    /** Megabytes (10^6) of input tensor data per second. */
    public double throughputMBps() {
        return seconds <= 0 ? 0 : inputBytes / 1e6 / seconds;
    }

    /** Element-weighted RMSE over every measured tensor, NaN when none was measured. */
    public double rmse() {
        double sum = 0;
        long n = 0;
        for (TensorResult t : tensors) {
            if (!Double.isNaN(t.rmse())) {
                sum += t.rmse() * t.rmse() * t.shape().elementCount();
                n += t.shape().elementCount();
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }
}
