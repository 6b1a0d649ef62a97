package dev.quant4j.integer.archfixtures;

import dev.quant4j.lowbit.archfixtures.LowbitHelper;

/** Violates rule 2: one plugin calling into another. */
public final class IntUsingLowbit {
    public float decode(short bits) {
        return new LowbitHelper().half(bits, null);
    }
}
