package dev.quant4j.cli;

import dev.quant4j.api.registry.QuantRegistry;

/** The registry the CLI works with: everything on its class path, the distribution's plugins/ folder included. */
final class Registries {
    private Registries() {
    }

    static QuantRegistry load() {
        return QuantRegistry.load(Registries.class.getClassLoader());
    }
}
