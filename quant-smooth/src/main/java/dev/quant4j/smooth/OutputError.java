package dev.quant4j.smooth;

import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.tensor.TensorView;

/** The output error a weight's quantization causes, from calibration second moments (shared by awq and smoothquant's search). */
final class OutputError {
    private OutputError() {
    }

    /**
     * ‖(deq(Q(W·diag s))·diag(s)⁻¹ − W) X‖² per token = Σ_rows Δ M Δᵀ with M = E[x xᵀ], for weights {@code w}
     * (all rows, row-major) of shape {@code v.shape()}.
     */
    static double of(TensorView v, float[] w, float[] s, QuantTarget target, float[] ms,
                                      float[] moments) {
        int cols = Math.toIntExact(v.rowLength());
        int rows = Math.toIntExact(v.rows());
        float[] scaled = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                scaled[r * cols + c] = w[r * cols + c] * s[c];
            }
        }
        float[] importance = null;
        if (target.weighted()) {
            importance = new float[cols];
            for (int c = 0; c < cols; c++) {
                importance[c] = ms[c] / (s[c] * s[c]);
            }
        }
        float[] deq = roundTrip(v, scaled, target, importance);
        float[] delta = new float[cols];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                delta[c] = deq[r * cols + c] / s[c] - w[r * cols + c];
            }
            total += quadraticForm(delta, 0, cols, moments, cols);
        }
        return total;
    }

    /** Quantizes then dequantizes {@code values} (shape of {@code like}) with the target quantizer. */
    static float[] roundTrip(TensorView like, float[] values, QuantTarget target, float[] importance) {
        TensorView src = TensorView.ofFloats(like.name(), like.shape(), values);
        float[] out = new float[values.length];
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            var q = target.quantizer().quantize(src, importance, arena);
            target.quantizer().dequantize(q.data(), like.shape(), 0, like.rows(), out);
        }
        return out;
    }

    /** Σ_{i,j in [from, to)} d_i M_ij d_j for the n × n matrix M; rows of M added as axpy (vectorisable). */
    static double quadraticForm(float[] d, int from, int to, float[] m, int n) {
        float[] acc = new float[to - from];
        for (int i = from; i < to; i++) {
            float di = d[i];
            if (di == 0) {
                continue;
            }
            int base = i * n + from;
            for (int j = 0; j < acc.length; j++) {
                acc[j] += di * m[base + j];
            }
        }
        double sum = 0;
        for (int j = 0; j < acc.length; j++) {
            sum += (double) d[from + j] * acc[j];
        }
        return sum;
    }

    static float[] readAll(TensorView v) {
        int cols = Math.toIntExact(v.rowLength());
        float[] all = new float[Math.toIntExact(v.rows() * cols)];
        for (long r = 0; r < v.rows(); r++) {
            v.readRow(r, all, Math.toIntExact(r * cols));
        }
        return all;
    }
}
