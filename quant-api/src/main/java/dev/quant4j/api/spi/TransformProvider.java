package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.ChannelStat;
import java.util.Set;

/**
 * A model-level transform: rewrites some weights (and possibly metadata) into a model that computes the same
 * function but quantizes better (SmoothQuant, AWQ scaling, rotations). Transforms run before planning, in the
 * order given, each seeing the previous one's output. The statistics a transform needs are declared by
 * {@link #needs} so the host collects them for all transforms in one calibration pass.
 *
 * @param <O> the transform's validated options record
 */
public non-sealed interface TransformProvider<O extends Record> extends Provider<O> {
    @Override
    default ProviderKind kind() {
        return ProviderKind.TRANSFORM;
    }

    /** The per-input-channel statistics this transform reads from {@link TransformInput#stats}; may be empty. */
    Set<ChannelStat> needs(O options);

    Transform create(O options);
}
