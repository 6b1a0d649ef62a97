package dev.quant4j.api.spi;

/** The options record of a provider that takes none. */
public record NoOptions() {
}
