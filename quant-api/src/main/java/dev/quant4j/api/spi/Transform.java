package dev.quant4j.api.spi;

/** One configured transform; {@link #apply} decides what changes but computes tensors only when asked. */
@FunctionalInterface
public interface Transform {
    /**
     * Plans the transform over {@code input}. Cheap work (scales, per-channel maxima) may happen here; the
     * replaced tensors themselves are built by {@link TransformOutput#tensor} one at a time.
     *
     * @throws dev.quant4j.api.error.QuantException UNSUPPORTED_SHAPE / UNSUPPORTED_TYPE naming the tensor or
     *         architecture the transform cannot apply to (e.g. mixture-of-experts, quantized input weights)
     */
    TransformOutput apply(TransformInput input);
}
