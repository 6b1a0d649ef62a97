package com.example.quant;

import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.tck.QuantizerProviderTestCase;

/** Every promise the provider makes (discovery, descriptor, options, capabilities, threads, errors), from the TCK. */
class ExampleQ8ProviderTest extends QuantizerProviderTestCase {
    @Override
    protected QuantizerProvider<?> provider() {
        return new ExampleQ8Provider();
    }
}
