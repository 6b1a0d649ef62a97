package dev.quant4j.eval.transform;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.QuantizerSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The quantizers the weights will be written with after the transforms (the planner's choice, by registry
 * name with default options; or what an output format that quantizes by itself names, e.g. compressed-tensors'
 * int4 groups), for transforms that search against them (AWQ).
 *
 * @param quantizers quantizer (name and options) by tensor name; tensors that stay float or are copied are absent
 * @param weighted   whether the quantization uses an imatrix
 */
public record TransformTargets(Map<String, QuantizerSpec> quantizers, boolean weighted) {
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
        Map<String, QuantizerSpec> m = new HashMap<>();
        typeByTensor.forEach((t, type) -> {
            if (installed.contains(type)) {
                m.put(t, new QuantizerSpec(type, Map.of()));
            }
        });
        return new TransformTargets(m, weighted);
    }

    /** The configured quantizers, one instance per distinct spec. */
    Map<String, QuantTarget> resolve(QuantRegistry registry) {
        Map<QuantizerSpec, QuantTarget> bySpec = new HashMap<>();
        Map<String, QuantTarget> out = new HashMap<>();
        quantizers.forEach((tensor, spec) -> out.put(tensor, bySpec.computeIfAbsent(spec,
                s -> new QuantTarget(s.create(registry.quantizers()), weighted))));
        return out;
    }
}
