package dev.quant4j.cli;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import dev.quant4j.engine.TensorResult;
import dev.quant4j.eval.transform.TransformTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The quantizer each tensor will get, from a dry run of the plan on the untransformed input (transforms keep
 * names and shapes), for transforms that search against it (awq).
 */
final class PlannedTargets {
    private PlannedTargets() {
    }

    static TransformTargets of(QuantRegistry registry, Path input, String planner, Map<String, String> options,
                               Path imatrix, int threads) throws IOException {
        QuantizeReport r = QuantizeJob.builder(registry)
                .input(input)
                .planner(planner, options)
                .importance(imatrix)
                .threads(threads)
                .dryRun(true)
                .measureError(false)
                .build()
                .run();
        return TransformTargets.of(registry, r.tensors().stream().filter(t -> !t.copied())
                .collect(Collectors.toMap(TensorResult::name, TensorResult::targetType)), imatrix != null);
    }
}
