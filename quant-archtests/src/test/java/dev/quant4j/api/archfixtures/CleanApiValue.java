package dev.quant4j.api.archfixtures;

import java.util.List;

/** Obeys every rule: a JDK-only value type, for the checks that rules do not fire on clean code. */
public record CleanApiValue(String name, List<Long> dims, int[] unusedArrayParameterIsFine) {
    public static final int LIMIT = 4;
}
