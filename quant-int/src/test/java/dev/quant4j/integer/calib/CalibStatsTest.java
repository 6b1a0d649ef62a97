package dev.quant4j.integer.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibStatsTest {
    private static final String T = "blk.0.attn_q.weight";

    /** Two batches: rows [1, -2], [3, 4], then [-5, 0]. */
    private static void feed(RangeCalibrator c) {
        c.observe(T, TensorView.ofFloats("batch0", Shape.of(2, 2), new float[] {1, -2, 3, 4}));
        c.observe(T, TensorView.ofFloats("batch1", Shape.of(2, 1), new float[] {-5, 0}));
    }

    @Test
    void minmaxByHand() {
        RangeCalibrator c = new MinMaxCalibratorProvider().create(new NoOptions());
        feed(c);
        CalibStats s = c.stats(T).orElseThrow();
        assertEquals(6, s.count());
        assertEquals(-5f, s.min());
        assertEquals(4f, s.max());
        assertEquals(5f, s.maxAbs());
        // mean 1/6; mean of squares 55/6; variance 55/6 - 1/36 = 329/36
        assertEquals(1.0 / 6, s.mean(), 1e-15);
        assertEquals(Math.sqrt(329.0) / 6, s.stdDev(), 1e-14);
        // |x| sorted 0 1 2 3 4 5: the 0.99 quantile is rank ceil(5.94) = 6 -> 5
        assertEquals(0.99, s.p());
        assertEquals(5f, s.absQuantile());
        assertEquals(5f / 127f, s.suggestedInt8Scale());
    }

    @Test
    void finishGivesPerColumnMeanSquares() {
        RangeCalibrator c = new MinMaxCalibratorProvider().create(new NoOptions());
        feed(c);
        CalibrationStats cs = c.finish();
        assertEquals("minmax", cs.source());
        TensorActivationStats t = cs.forTensor(T).orElseThrow();
        assertEquals(2, t.columns());
        assertEquals(1, t.slices());
        assertEquals(3, t.count());
        // column 0: (1 + 9 + 25) / 3; column 1: (4 + 16 + 0) / 3
        assertArrayEquals(new float[] {(float) (35.0 / 3), (float) (20.0 / 3)}, t.slice(0));
        // the calibrator keeps observing after finish()
        c.observe(T, TensorView.ofFloats("batch2", Shape.of(2, 1), new float[] {0, 2}));
        assertArrayEquals(new float[] {(float) (35.0 / 4), 6f}, c.finish().forTensor(T).orElseThrow().slice(0));
    }

    @Test
    void percentileByHand() {
        PercentileCalibratorProvider p = new PercentileCalibratorProvider();
        RangeCalibrator c = p.create(p.parseOptions(Map.of("p", "0.5")));
        feed(c);
        CalibStats s = c.stats(T).orElseThrow();
        // |x| sorted 0 1 2 3 4 5: rank ceil(3) = 3 -> 2
        assertEquals(2f, s.absQuantile());
        assertEquals(2f / 127f, s.suggestedInt8Scale());
        assertEquals("percentile", c.finish().source());
        assertEquals(0.99, p.defaultOptions().p());
    }

    @Test
    void histogramQuantileIsAnUpperBoundWithinItsBucket() {
        CalibAccumulator a = new CalibAccumulator("t", 10, ClipMethod.PERCENTILE, 0.99);
        float[] x = new float[100];
        for (int i = 0; i < 100; i++) {
            x[i] = i + 1;
        }
        a.add(x, 0, 10);
        // rank 99 -> 99, the largest value in its bucket [98, 100): exact
        assertEquals(99f, a.stats().absQuantile());
        CalibAccumulator b = new CalibAccumulator("t", 10, ClipMethod.PERCENTILE, 0.98);
        b.add(x, 0, 10);
        // rank 98 -> 98 shares the bucket [98, 100) with 99, so 99 is reported (1% high, bound 3.2%)
        assertEquals(99f, b.stats().absQuantile());
        assertEquals(99f / 127f, b.stats().suggestedInt8Scale());
    }

    @Test
    void histogramQuantileAgainstExactOnRandomData() {
        Random r = new Random(17);
        int cols = 64;
        int rows = 500;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
        }
        float[] abs = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            abs[i] = Math.abs(x[i]);
        }
        Arrays.sort(abs);
        for (double p : new double[] {0.5, 0.9, 0.99, 0.999, 1.0}) {
            CalibAccumulator a = new CalibAccumulator("t", cols, ClipMethod.PERCENTILE, p);
            for (int b = 0; b < rows; b += 100) {
                a.add(x, b * cols, 100);
            }
            float exact = abs[(int) Math.ceil(p * abs.length) - 1];
            float got = a.stats().absQuantile();
            assertTrue(got >= exact && got <= exact * (1 + 1.0 / 32), p + ": " + got + " vs exact " + exact);
            if (p == 1.0) {
                assertEquals(exact, got);
            }
        }
    }

    @Test
    void welfordMatchesTwoPassOverManyBatches() {
        Random r = new Random(3);
        float[] x = new float[20_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (1000 + r.nextGaussian());
        }
        CalibAccumulator a = new CalibAccumulator("t", 100, ClipMethod.MIN_MAX, 0.99);
        for (int b = 0; b < 200; b += 20) {
            a.add(x, b * 100, 20);
        }
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / x.length);
        assertEquals(mean, a.stats().mean(), 1e-9);
        assertEquals(std, a.stats().stdDev(), 1e-9);
    }

    @Test
    void errorsNameTheTensor() {
        RangeCalibrator c = new MinMaxCalibratorProvider().create(new NoOptions());
        feed(c);
        var cols = assertThrows(IllegalArgumentException.class,
                () -> c.observe(T, TensorView.ofFloats("b", Shape.of(3, 1), new float[] {1, 2, 3})));
        assertTrue(cols.getMessage().contains(T) && cols.getMessage().contains("3") && cols.getMessage().contains("2"),
                cols.getMessage());
        var nan = assertThrows(QuantException.class, () -> c.observe("other",
                TensorView.ofFloats("b7", Shape.of(2, 2), new float[] {1, 2, 3, Float.POSITIVE_INFINITY})));
        assertEquals(ErrorCode.NON_FINITE_INPUT, nan.code());
        assertTrue(nan.getMessage().contains("'other'") && nan.getMessage().contains("row 1")
                && nan.getMessage().contains("column 1") && nan.getMessage().contains("b7"), nan.getMessage());
        assertTrue(c.stats("other").isEmpty(), "a refused batch adds nothing");
        PercentileCalibratorProvider p = new PercentileCalibratorProvider();
        for (String bad : new String[] {"0", "1.5", "-0.1", "x"}) {
            var e = assertThrows(QuantException.class, () -> p.parseOptions(Map.of("p", bad)));
            assertEquals(ErrorCode.INVALID_OPTION, e.code());
            assertTrue(e.getMessage().contains("p"), e.getMessage());
        }
        var empty = assertThrows(IllegalArgumentException.class,
                () -> new CalibAccumulator("t", 2, ClipMethod.MIN_MAX, 0.99).add(new float[0], 0, 0));
        assertTrue(empty.getMessage().contains("empty batch"), empty.getMessage());
        assertThrows(IllegalStateException.class, () -> new CalibAccumulator("t", 2, ClipMethod.MIN_MAX, 0.99).stats());
    }

    @Test
    void allZeroActivationsSuggestScaleZero() {
        CalibAccumulator a = new CalibAccumulator("z", 2, ClipMethod.MIN_MAX, 0.99);
        a.add(new float[] {0, 0, 0, 0}, 0, 2);
        assertEquals(0f, a.stats().suggestedInt8Scale());
        assertEquals(0.0, a.stats().stdDev());
    }
}
