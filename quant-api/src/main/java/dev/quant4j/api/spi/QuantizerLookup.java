package dev.quant4j.api.spi;

import java.util.Map;

/**
 * Installed quantizers by registry name, for a quantizer that builds on another one (GPTQ adjusts weights, then
 * the named type's own quantizer writes them). The caller that creates workers from the registry supplies it,
 * so a plugin reaches another plugin's quantizer by name only, never by class.
 */
@FunctionalInterface
public interface QuantizerLookup {
    /**
     * A configured quantizer.
     *
     * @throws dev.quant4j.api.error.QuantException NOT_FOUND (listing the names) or INVALID_OPTION
     */
    Quantizer quantizer(String name, Map<String, String> options);

    /** A lookup that has no quantizers: for callers that create only self-contained quantizers. */
    static QuantizerLookup none() {
        return (name, options) -> {
            throw new dev.quant4j.api.error.QuantException(dev.quant4j.api.error.ErrorCode.INVALID_OPTION,
                    "quantizer '" + name + "' was asked for by a quantizer created without access to the registry; "
                            + "create it through quant-engine (QuantizeJob) or pass a QuantizerLookup");
        };
    }
}
