package dev.quant4j.engine.archfixtures;

import dev.quant4j.integer.archfixtures.IntUsingLowbit;

/** Violates rule 3: the engine importing a plugin class instead of asking the registry by name. */
public final class EngineUsingPlugin {
    public float run() {
        return new IntUsingLowbit().decode((short) 0);
    }
}
