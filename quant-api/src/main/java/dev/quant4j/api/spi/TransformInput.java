package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a transform sees: the model (possibly already transformed) and calibration statistics. */
public interface TransformInput {
    Metadata metadata();

    /** Tensor names, types and shapes in file order (offsets are not meaningful). */
    List<TensorInfo> tensors();

    /** The current bytes of tensor {@code name} (a transformed F32 view or the file's mapping). */
    TensorView view(String name);

    default Optional<TensorInfo> find(String name) {
        return tensors().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * Per-input-channel statistics by weight name, as declared by {@link TransformProvider#needs}. A host may keep
     * them in a file (second moments of a large model do not fit memory): then this map reads an entry on each
     * {@code get} and iterating it reads them all; transforms ask through {@link #stats(String)} instead.
     */
    Map<String, ChannelStats> stats();

    /**
     * The statistics of weight {@code name}'s input, read when asked (from a file, for a large model), or empty
     * when none were collected. A transform asks for one weight's statistics when it needs them and drops them when
     * done, so memory holds only the group it is working on.
     */
    default Optional<ChannelStats> stats(String name) {
        return Optional.ofNullable(stats().get(name));
    }

    /**
     * Statistics of the input of expert {@code expert} of a 3-D {@code *_exps} weight over the tokens routed to it
     * (asked for as {@link #stats(String)} of {@link ChannelStats#expertKey}); empty when not collected or never routed.
     */
    default Optional<ChannelStats> expertStats(String weight, int expert) {
        return stats(ChannelStats.expertKey(weight, expert));
    }

    /**
     * The quantizer weight {@code name} will be written with, when the host knows it (quantizing after the
     * transforms); empty when the output stays float or the weight is copied.
     */
    default Optional<QuantTarget> target(String name) {
        return Optional.empty();
    }
}
