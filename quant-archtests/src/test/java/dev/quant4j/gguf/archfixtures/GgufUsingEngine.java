package dev.quant4j.gguf.archfixtures;

import dev.quant4j.engine.archfixtures.EngineUsingServiceLoader;

/** Violates rule 2: a plugin depending on the engine. */
public final class GgufUsingEngine {
    public Object find() {
        return new EngineUsingServiceLoader().first();
    }
}
