package dev.quant4j.engine.archfixtures;

import java.util.ServiceLoader;

/** Violates rule 4: a ServiceLoader outside the registry. */
public final class EngineUsingServiceLoader {
    public Object first() {
        return ServiceLoader.load(Runnable.class).findFirst().orElse(null);
    }
}
