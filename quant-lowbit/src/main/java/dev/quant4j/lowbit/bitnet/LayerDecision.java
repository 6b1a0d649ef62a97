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

    /**
     * Never ternary: store in the kept float {@code type} (router, embeddings, output head, unfit shapes).
     *
     * @param unfitRows true when the tensor was selected but its rows are not whole 256-weight TQ blocks
     */
    record Keep(DType type, String reason, boolean unfitRows) implements LayerDecision {
        public Keep {
            Objects.requireNonNull(type);
            Objects.requireNonNull(reason);
        }

        /** Kept by rule (router, embedding, output head), not for its shape. */
        public Keep(DType type, String reason) {
            this(type, reason, false);
        }
    }

    /** Not a tensor this mask governs (norms, biases, unselected weights): the planner's other rules apply. */
    record Unchanged(String reason) implements LayerDecision {
        public Unchanged {
            Objects.requireNonNull(reason);
        }
    }
}
