package dev.quant4j.importance.plan;

import dev.quant4j.api.tensor.DType;
import java.util.regex.Pattern;

/**
 * A floor or ceiling: tensors whose name matches {@code pattern} (searched anywhere in the name) get no type
 * below (floor) or above (ceiling) {@code type}'s bits per weight.
 */
record Bound(Pattern pattern, DType type) {
    boolean matches(String tensor) {
        return pattern.matcher(tensor).find();
    }

    @Override
    public String toString() {
        return pattern.pattern() + "=" + type.lowerName();
    }
}
