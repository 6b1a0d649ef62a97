package dev.quant4j.api.tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable activation statistics for a model's weight tensors, keyed by weight tensor name.
 *
 * @param source     where the statistics came from, as the user named it (e.g. the imatrix path given);
 *                   llama-quantize writes it into {@code quantize.imatrix.file}
 * @param tensors    per-tensor statistics, in the source's order
 * @param datasets   names of the calibration texts (an imatrix's {@code imatrix.datasets}), may be empty
 * @param chunkCount calibration chunks processed (an imatrix's {@code imatrix.chunk_count}), 0 when unknown
 */
public record CalibrationStats(String source, Map<String, TensorActivationStats> tensors, List<String> datasets,
                               long chunkCount) {
    public CalibrationStats {
        Objects.requireNonNull(source);
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        datasets = List.copyOf(datasets);
        if (chunkCount < 0) {
            throw new IllegalArgumentException(source + ": negative chunk count " + chunkCount);
        }
    }

    /** Statistics without provenance (no dataset names, chunk count unknown). */
    public CalibrationStats(String source, Map<String, TensorActivationStats> tensors) {
        this(source, tensors, List.of(), 0);
    }

    public static CalibrationStats of(String source, List<TensorActivationStats> stats) {
        Map<String, TensorActivationStats> m = new LinkedHashMap<>();
        for (TensorActivationStats s : stats) {
            if (m.put(s.tensor(), s) != null) {
                throw new IllegalArgumentException(source + ": statistics for '" + s.tensor() + "' given twice");
            }
        }
        return new CalibrationStats(source, m);
    }

    /** A copy carrying the calibration provenance. */
    public CalibrationStats withProvenance(List<String> datasetNames, long chunks) {
        return new CalibrationStats(source, tensors, datasetNames, chunks);
    }

    public Optional<TensorActivationStats> forTensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }
}
