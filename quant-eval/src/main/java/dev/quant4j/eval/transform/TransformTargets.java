package dev.quant4j.eval.transform;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.QuantizerProvider;
import java.util.HashMap;
import java.util.Map;

/**
 * The quantizers the weights will be written with after the transforms (the planner's choice, by registry
 * name with default options), for transforms that search against them (AWQ).
 *
 * @param quantizers quantizer registry name by tensor name; tensors that stay float or are copied are absent
 * @param weighted   whether the quantization uses an imatrix
 */
public record TransformTargets(Map<String, String> quantizers, boolean weighted) {
    public TransformTargets {
        quantizers = Map.copyOf(quantizers);
    }

    /** No quantization follows (e.g. {@code quant transform} without a target type). */
    public static TransformTargets none() {
        return new TransformTargets(Map.of(), false);
    }

    /**
     * Targets from a plan's per-tensor output types, keeping those an installed quantizer of that name writes
     * (the rest are left unsearched).
     */
    public static TransformTargets of(QuantRegistry registry, Map<String, String> typeByTensor, boolean weighted) {
        java.util.Set<String> installed = java.util.Set.copyOf(registry.names(dev.quant4j.api.spi.ProviderKind.QUANTIZER));
        Map<String, String> m = new HashMap<>();
        typeByTensor.forEach((t, type) -> {
            if (installed.contains(type)) {
                m.put(t, type);
            }
        });
        return new TransformTargets(m, weighted);
    }

    /** The configured quantizers, one instance per distinct name. */
    Map<String, QuantTarget> resolve(QuantRegistry registry) {
        Map<String, QuantTarget> byName = new HashMap<>();
        Map<String, QuantTarget> out = new HashMap<>();
        quantizers.forEach((tensor, name) -> out.put(tensor, byName.computeIfAbsent(name,
                n -> new QuantTarget(create(registry.quantizer(n)), weighted))));
        return out;
    }

    private static <O extends Record> dev.quant4j.api.spi.Quantizer create(QuantizerProvider<O> p) {
        return p.create(p.defaultOptions());
    }
}
