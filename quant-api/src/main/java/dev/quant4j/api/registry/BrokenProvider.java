package dev.quant4j.api.registry;

import dev.quant4j.api.spi.ProviderKind;

/**
 * A provider a plugin jar declares but that could not be registered (class missing, constructor failed, built
 * for another SPI level). The registry skips it so one broken jar does not disable the others.
 *
 * @param kind           the SPI it was declared for
 * @param name           its provider name when it got far enough to have one, else its class name
 * @param className      the class named in META-INF/services
 * @param origin         the jar (or folder) declaring it
 * @param reason         why it was skipped, for the user
 */
public record BrokenProvider(ProviderKind kind, String name, String className, String origin, String reason) {
}
