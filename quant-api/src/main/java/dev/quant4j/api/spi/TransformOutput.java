package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The result of a transform: which tensors change (same name and shape; type becomes F32) and how, computed
 * lazily so that at most a few tensors are in memory at once, plus metadata changes.
 */
public interface TransformOutput {
    /** Names of the tensors this transform replaces. */
    Set<String> replaced();

    /** A freshly computed F32 view of replaced tensor {@code name}; called once per tensor per writer. */
    TensorView tensor(String name);

    /**
     * Tensors this transform adds (F32, computed by {@link #tensor} like replaced ones), e.g. an output head
     * untied from the token embedding; written after the model's own tensors.
     */
    default List<Added> added() {
        return List.of();
    }

    /** A tensor a transform adds. */
    record Added(String name, Shape shape) {
    }

    /**
     * Weights whose input activations the transform mixed across channels (x' = Qᵀ x for a rotation Q), so
     * that per-channel statistics and importance matrices collected before no longer describe them: they must
     * be collected again on the transformed model.
     */
    default Set<String> mixedInputs() {
        return Set.of();
    }

    /** Metadata keys to set (never removes keys). */
    default Map<String, MetaValue> metadataChanges() {
        return Map.of();
    }

    /**
     * Per-column factors c by which the transform multiplied the activations entering weight {@code name}
     * (x' = c ⊙ x), empty when that weight's input is unchanged. Statistics collected on the original model
     * stay valid after rescaling: absolute maxima by |c|, mean squares (an imatrix) by c².
     */
    default Optional<float[]> inputScale(String name) {
        return Optional.empty();
    }
}
