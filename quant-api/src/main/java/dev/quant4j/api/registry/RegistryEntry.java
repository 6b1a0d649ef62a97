package dev.quant4j.api.registry;

import dev.quant4j.api.spi.Provider;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.ProviderKind;

/**
 * A registered provider and where it came from.
 *
 * @param origin the jar (or class folder) the provider class was loaded from, or {@code unknown}
 */
public record RegistryEntry(Provider<?> provider, String origin) {
    public ProviderKind kind() {
        return provider.kind();
    }

    public ProviderDescriptor descriptor() {
        return provider.descriptor();
    }

    public String name() {
        return provider.descriptor().name();
    }

    public String implementationClass() {
        return provider.getClass().getName();
    }
}
