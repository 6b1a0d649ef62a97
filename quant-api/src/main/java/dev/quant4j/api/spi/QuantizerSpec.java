package dev.quant4j.api.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A quantizer by registry name and string options, as a plan or a format names it; created through a
 * {@link QuantizerLookup} (never by class).
 *
 * @param name    registry name, e.g. {@code int4}
 * @param options its options in {@code key=value} form (parsed by its provider)
 */
public record QuantizerSpec(String name, Map<String, String> options) {
    public QuantizerSpec {
        Objects.requireNonNull(name);
        options = Map.copyOf(options);
    }

    /** The configured quantizer. */
    public Quantizer create(QuantizerLookup installed) {
        return installed.quantizer(name, options);
    }
}
