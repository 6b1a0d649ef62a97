package dev.quant4j.importance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedErrorTest {
    /** Rounds every value to a multiple of {@code step}, stored as F32: a round trip whose error we can compute. */
    record Rounding(float step) implements Quantizer {
        @Override
        public TensorEncoding encoding() {
            return new TensorEncoding.Ggml(DType.F32);
        }

        @Override
        public long encodedBytes(String tensor, Shape shape) {
            return 4 * shape.elementCount();
        }

        @Override
        public void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst) {
            int n = (int) src.rowLength();
            float[] row = new float[n];
            for (long r = 0; r < rowCount; r++) {
                src.readRow(firstRow + r, row, 0);
                for (int j = 0; j < n; j++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, r * n + j, Math.round(row[j] / step) * step);
                }
            }
        }

        @Override
        public void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst) {
            MemorySegment.copy(encoded, ValueLayout.JAVA_FLOAT, 0, dst, 0, (int) (rowCount * shape.rowLength()));
        }
    }

    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void exactWhenEveryRowIsUsedAndWeightedPerColumn() {
        int cols = 8;
        int rows = 10;
        float[] w = values(cols * rows, 1);
        float[] imp = new float[cols];
        for (int j = 0; j < cols; j++) {
            imp[j] = j + 1;
        }
        TensorView v = TensorView.ofFloats("blk.0.ffn_up.weight", Shape.of(cols, rows), w);
        Rounding q = new Rounding(0.25f);
        double expected = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float x = w[r * cols + j];
                double d = x - Math.round(x / 0.25f) * 0.25f;
                expected += imp[j] * d * d;
            }
        }
        Cost c = WeightedError.measure("t", v.name(), RowSample.of(v, 1 << 20), TensorActivationStats.of(v.name(), cols, 1, imp),
                false, q);
        assertEquals(expected, c.value(), 1e-9 * expected);
        assertEquals(0, c.stdError());
    }

    @Test
    void lookupTablesWeighTheMeanRow() {
        int cols = 4;
        int rows = 6;
        float[] w = values(cols * rows, 2);
        TensorView v = TensorView.ofFloats("token_embd.weight", Shape.of(cols, rows), w);
        Rounding q = new Rounding(0.5f);
        double sum = 0;
        for (float x : w) {
            double d = x - Math.round(x / 0.5f) * 0.5f;
            sum += d * d;
        }
        Cost c = WeightedError.measure("t", v.name(), RowSample.of(v, 1 << 20), null, true, q);
        assertEquals(sum / rows, c.value(), 1e-12);
    }

    @Test
    void sampledEstimateIsWithinItsStandardErrorOfTheTruth() {
        int cols = 64;
        int rows = 4096;
        float[] w = values(cols * rows, 3);
        TensorView v = TensorView.ofFloats("blk.0.ffn_down.weight", Shape.of(cols, rows), w);
        Rounding q = new Rounding(0.3f);
        Cost full = WeightedError.measure("t", v.name(), RowSample.of(v, Long.MAX_VALUE), null, false, q);
        RowSample sample = RowSample.of(v, 256L * cols);
        assertEquals(256, sample.count());
        Cost est = WeightedError.measure("t", v.name(), sample, null, false, q);
        assertTrue(est.stdError() > 0);
        assertTrue(Math.abs(est.value() - full.value()) < 4 * est.stdError(),
                "estimate " + est + " vs truth " + full.value());
        assertTrue(est.stdError() / est.value() < 0.05, "relative standard error " + est.stdError() / est.value());
    }

    @Test
    void expertsUseTheirOwnImportanceSlice() {
        int cols = 4;
        int rowsPerExpert = 3;
        float[] w = values(cols * rowsPerExpert * 2, 4);
        TensorView v = TensorView.ofFloats("blk.0.ffn_up_exps.weight", Shape.of(cols, rowsPerExpert, 2), w);
        float[] imp = {1, 1, 1, 1, 0, 0, 0, 0}; // expert 1 never active: its errors cost nothing
        Rounding q = new Rounding(0.5f);
        double expected = 0;
        for (int i = 0; i < cols * rowsPerExpert; i++) {
            double d = w[i] - Math.round(w[i] / 0.5f) * 0.5f;
            expected += d * d;
        }
        Cost c = WeightedError.measure("t", v.name(), RowSample.of(v, 1 << 20),
                TensorActivationStats.of(v.name(), cols, 1, imp), false, q);
        assertEquals(expected, c.value(), 1e-9);
    }
}
