package dev.quant4j.engine;

import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerLookup;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.registry.QuantRegistry;
import java.util.Map;

/** Creates workers from providers and string options (the one place the options' type is captured). */
final class Workers {
    private Workers() {
    }

    static <O extends Record> Quantizer quantizer(QuantizerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    /** Quantizer {@code name} of {@code registry}; a composite one (gptq) reaches its inner quantizer the same way. */
    static Quantizer quantizer(QuantRegistry registry, String name, Map<String, String> options) {
        return create(registry.quantizer(name), options, (n, o) -> quantizer(registry, n, o));
    }

    private static <O extends Record> Quantizer create(QuantizerProvider<O> p, Map<String, String> options,
                                                       QuantizerLookup installed) {
        return p.create(p.parseOptions(options), installed);
    }

    static <O extends Record> Planner planner(PlannerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    static <O extends Record> Calibrator calibrator(CalibratorProvider<O> p) {
        return p.create(p.defaultOptions());
    }
}
