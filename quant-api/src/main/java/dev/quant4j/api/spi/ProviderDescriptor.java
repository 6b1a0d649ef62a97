package dev.quant4j.api.spi;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Identity of a provider. {@code name} is stable and permanent (it is written into outputs).
 *
 * @param name         lower-case stable name, {@code [a-z0-9_-]+}
 * @param displayName  human readable name
 * @param version      implementation version (from the jar manifest; "dev" when run from classes)
 * @param spiLevel     the {@link Spi#LEVEL} the provider was compiled against
 * @param capabilities what it can do
 */
public record ProviderDescriptor(String name, String displayName, String version, int spiLevel,
                                 Set<Capability> capabilities) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");

    public ProviderDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(version, "version");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name '" + name + "' must match [a-z0-9_-]+");
        }
        if (displayName.isBlank()) {
            throw new IllegalArgumentException("provider '" + name + "' has a blank display name");
        }
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    }

    /**
     * A descriptor for {@code provider}'s class at the current SPI level; the version comes from the
     * jar manifest's Implementation-Version.
     */
    public static ProviderDescriptor of(Class<?> provider, String name, String displayName, Capability... caps) {
        String v = provider.getPackage() == null ? null : provider.getPackage().getImplementationVersion();
        Set<Capability> set = caps.length == 0 ? Set.of() : EnumSet.of(caps[0], caps);
        return new ProviderDescriptor(name, displayName, v == null ? "dev" : v, Spi.LEVEL, set);
    }

    public boolean has(Capability c) {
        return capabilities.contains(c);
    }
}
