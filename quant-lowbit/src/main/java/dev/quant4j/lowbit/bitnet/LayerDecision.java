package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.tensor.DType;
import java.util.Objects;

/** What {@link BitnetLayerMask} says about one tensor. */
public sealed interface LayerDecision {
    /** Why, for plans and reports. */
    String reason();

    /** Ternarise with {@code bitnet-absmean} into {@code type} (TQ2_0 or TQ1_0). */
    record Ternary(DType type, String reason) implements LayerDecision {
        public Ternary {
            Objects.requireNonNull(type);
            Objects.requireNonNull(reason);
        }
    }

    /** Never ternary: store in the kept float {@code type} (router, embeddings, output head, unfit shapes). */
    record Keep(DType type, String reason) implements LayerDecision {
        public Keep {
            Objects.requireNonNull(type);
            Objects.requireNonNull(reason);
        }
    }

    /** Not a tensor this mask governs (norms, biases, unselected weights): the planner's other rules apply. */
    record Unchanged(String reason) implements LayerDecision {
        public Unchanged {
            Objects.requireNonNull(reason);
        }
    }
}
