package dev.quant4j.engine;

import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import java.util.Map;

/** Creates workers from providers and string options (the one place the options' type is captured). */
final class Workers {
    private Workers() {
    }

    static <O extends Record> Quantizer quantizer(QuantizerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    static <O extends Record> Planner planner(PlannerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    static <O extends Record> Calibrator calibrator(CalibratorProvider<O> p) {
        return p.create(p.defaultOptions());
    }
}
