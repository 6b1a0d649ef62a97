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

    /** Per-input-channel statistics by weight name, as declared by {@link TransformProvider#needs}. */
    Map<String, ChannelStats> stats();

    /**
     * Statistics of the input of expert {@code expert} of a 3-D {@code *_exps} weight over the tokens routed to it
     * (kept in {@link #stats()} under {@link ChannelStats#expertKey}); empty when not collected or never routed.
     */
    default Optional<ChannelStats> expertStats(String weight, int expert) {
        return Optional.ofNullable(stats().get(ChannelStats.expertKey(weight, expert)));
    }

    /**
     * The quantizer weight {@code name} will be written with, when the host knows it (quantizing after the
     * transforms); empty when the output stays float or the weight is copied.
     */
    default Optional<QuantTarget> target(String name) {
        return Optional.empty();
    }
}
