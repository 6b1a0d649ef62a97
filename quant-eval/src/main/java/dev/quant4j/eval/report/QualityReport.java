package dev.quant4j.eval.report;

import dev.quant4j.eval.metrics.KldStatistics;
import dev.quant4j.eval.metrics.PerplexityResult;
import java.util.List;

/**
 * How much a quantized model lost against its original on a text: perplexity of both, KL divergence statistics
 * (quant-eval's llama-perplexity arithmetic), per-tensor and per-layer weight error, super weights before and after,
 * and the effective bits per weight.
 *
 * @param base           the original model
 * @param quantized      the quantized model
 * @param nCtx           tokens per chunk
 * @param basePerplexity perplexity of the original on the text
 * @param kld            KL divergence of the quantized model against the original (its perplexity is
 *                       {@code kld.perplexity()})
 * @param tensors        relative RMSE of every tensor whose type differs, in file order
 * @param layers         per {@code blk.N} (layer -1: tensors outside blocks), element-weighted
 * @param superWeights   super weights of the original and their values in the quantized model
 * @param elements       weights in the quantized model
 * @param tensorBytes    tensor data bytes of the quantized model
 * @param fileBytes      size of the quantized file
 */
public record QualityReport(String base, String quantized, int nCtx, PerplexityResult basePerplexity,
                            KldStatistics kld, List<TensorError> tensors, List<LayerError> layers,
                            List<WeightCheck> superWeights, long elements, long tensorBytes, long fileBytes) {
    public QualityReport {
        tensors = List.copyOf(tensors);
        layers = List.copyOf(layers);
        superWeights = List.copyOf(superWeights);
    }

    /** Error of one tensor's weights. */
    public record TensorError(String name, int layer, String baseType, String type, long elements, double bitsPerWeight,
                              double relativeRmse) {
    }

    /**
     * Error of one layer: relative RMSE over its changed tensors, and its measured KLD contribution when known
     * (NaN otherwise: measuring it takes one forward pass per layer).
     */
    public record LayerError(int layer, long elements, double relativeRmse, double kldContribution) {
    }

    /** A super weight of the original and its value in the quantized model. */
    public record WeightCheck(String tensor, int layer, long row, long column, float before, float after) {
        public double relativeError() {
            return before == 0 ? Math.abs(after) : Math.abs((double) after - before) / Math.abs(before);
        }

        /** Within 1 % of the original. */
        public boolean preserved() {
            return relativeError() <= 0.01;
        }
    }

    /** Perplexity of the quantized model over the original's, minus one, in percent. */
    public double perplexityChangePercent() {
        return 100.0 * (kld.perplexity().value() / basePerplexity.perplexity() - 1);
    }

    /** Bits of tensor data per weight. */
    public double bitsPerWeight() {
        return elements == 0 ? 0 : 8.0 * tensorBytes / elements;
    }

    /** Bits of the whole file (header included) per weight. */
    public double fileBitsPerWeight() {
        return elements == 0 ? 0 : 8.0 * fileBytes / elements;
    }

    /** Super weights within 1 % of their original value. */
    public long superWeightsPreserved() {
        return superWeights.stream().filter(WeightCheck::preserved).count();
    }
}
