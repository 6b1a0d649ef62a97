package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.TensorView;
import java.util.List;

/**
 * Measures what replacing some of the input model's tensors does to its output: the mean KL divergence of the
 * next-token distributions on a calibration text, the changed model against the unchanged one. A planner that
 * measures quality (the {@code importance} planner's {@code kld} estimator) needs a forward pass, which lives
 * outside the plugins; the caller that has one (quant-cli, through quant-eval) offers it here via
 * {@link PlanContext#qualityProbe()}, so a plugin depends on this interface only. Implementations are thread
 * safe; the unchanged model's output is computed once, on first use.
 */
public interface QualityProbe {
    /**
     * What a measurement depends on besides the tensors: calibration text, chunking, numerics (a hash). Part of
     * the key under which measured costs are cached.
     */
    String fingerprint();

    /**
     * Mean KL divergence per scored token, {@code KL(P_base || P_changed)} in nats, with each of
     * {@code substitutes} (a ggml-typed tensor named like an input tensor, same shape) in place of the input's.
     * An empty list measures the unchanged model (0 up to rounding).
     *
     * @throws dev.quant4j.api.error.QuantException INVALID_PLAN for a name or shape the model does not have
     */
    double meanKld(List<TensorView> substitutes);
}
