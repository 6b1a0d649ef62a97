package dev.quant4j.integer.calib;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers {@link CalibStats} and per-column mean squares for every tensor it observes. {@link #finish()} gives
 * the per-column {@link CalibrationStats} the planners and SmoothQuant read; {@link #stats(String)} the range
 * statistics with the suggested int8 scale. Thread safe (observations of one calibrator are serialized).
 */
public final class RangeCalibrator implements Calibrator {
    private final String name;
    private final ClipMethod method;
    private final double p;
    private final Map<String, CalibAccumulator> tensors = new LinkedHashMap<>();

    public RangeCalibrator(String name, ClipMethod method, double p) {
        this.name = name;
        this.method = method;
        this.p = p;
    }

    @Override
    public synchronized void observe(String tensor, TensorView activations) {
        int cols = Math.toIntExact(activations.rowLength());
        CalibAccumulator acc = tensors.get(tensor);
        if (acc != null && acc.columns() != cols) {
            throw new IllegalArgumentException("tensor '" + tensor + "': this batch has rows of " + cols
                    + " values, earlier batches had " + acc.columns());
        }
        int rows = Math.toIntExact(activations.rows());
        float[] batch = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            activations.readRow(r, batch, r * cols);
        }
        CalibAccumulator target = acc != null ? acc : new CalibAccumulator(tensor, cols, method, p);
        try {
            target.add(batch, 0, rows);
        } catch (QuantException e) {
            throw new QuantException(ErrorCode.NON_FINITE_INPUT, e.getMessage() + " (batch '" + activations.name()
                    + "'); fix the activations before calibrating", e);
        }
        tensors.putIfAbsent(tensor, target);
    }

    @Override
    public synchronized CalibrationStats finish() {
        List<TensorActivationStats> out = new ArrayList<>();
        for (CalibAccumulator acc : tensors.values()) {
            out.add(acc.activationStats());
        }
        return CalibrationStats.of(name, out);
    }

    /** Range statistics of {@code tensor}, if it was observed. */
    public synchronized Optional<CalibStats> stats(String tensor) {
        CalibAccumulator acc = tensors.get(tensor);
        return acc == null ? Optional.empty() : Optional.of(acc.stats());
    }

    /** Range statistics of every observed tensor, in first-observed order. */
    public synchronized Map<String, CalibStats> allStats() {
        Map<String, CalibStats> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.stats()));
        return java.util.Collections.unmodifiableMap(out);
    }
}
