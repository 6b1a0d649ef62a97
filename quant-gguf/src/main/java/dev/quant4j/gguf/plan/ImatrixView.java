package dev.quant4j.gguf.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The importance-matrix entries llama-quantize keeps after {@code --exclude-weights} / {@code --include-weights}
 * (substring matches on the entry name). When none is left there is no imatrix at all.
 *
 * @param stats   the statistics given, or null
 * @param entries the entries kept, by tensor name
 */
record ImatrixView(CalibrationStats stats, Map<String, TensorActivationStats> entries) {

    static ImatrixView of(Optional<CalibrationStats> calibration, List<String> include, List<String> exclude) {
        if (calibration.isEmpty()) {
            return new ImatrixView(null, Map.of());
        }
        Map<String, TensorActivationStats> kept = new LinkedHashMap<>();
        for (var e : calibration.get().tensors().entrySet()) {
            String name = e.getKey();
            boolean excluded = exclude.stream().anyMatch(name::contains);
            boolean included = include.isEmpty() || include.stream().anyMatch(name::contains);
            if (!excluded && included) {
                kept.put(name, e.getValue());
            }
        }
        ImatrixView view = new ImatrixView(calibration.get(), kept);
        view.requireFinite();
        return view;
    }

    boolean present() {
        return !entries.isEmpty();
    }

    TensorActivationStats entry(String tensor) {
        return entries.get(tensor);
    }

    /** llama-quantize aborts when a kept entry holds NaN or infinity. */
    private void requireFinite() {
        for (TensorActivationStats s : entries.values()) {
            long n = (long) s.columns() * s.slices();
            for (long i = 0; i < n; i++) {
                float v = s.meanSquares().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                if (!Float.isFinite(v)) {
                    throw new QuantException(ErrorCode.INVALID_PLAN, "imatrix " + stats.source() + ": entry '"
                            + s.tensor() + "' contains the non-finite value " + v + " at index " + i
                            + "; recompute the imatrix or exclude the entry with exclude-weights");
                }
            }
        }
    }
}
