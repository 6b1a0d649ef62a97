package dev.quant4j.integer.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.integer.seed.Int8Options;
import dev.quant4j.integer.seed.Int8QuantizerProvider;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;

class W8A8LinearTest {
    /** Row 0: max 127 -> scale 1; row 1: max 127/64 -> scale 1/64. */
    private static final float[] W = {127f, -63.5f, 10f, 0.5f, -1f, 1.984375f};
    /** max 127/32 -> scale 1/32. */
    private static final float[] X = {1f, 0.5f, -3.96875f};

    @Test
    void matVecByHand() {
        W8A8Linear lin = W8A8Linear.quantize(W, 2, 3, ScaleRule.maxAbs());
        assertEquals(1f, lin.rowScale(0));
        assertEquals(1f / 64, lin.rowScale(1));
        float[] y = new float[2];
        float sx = lin.matVec(X, y);
        assertEquals(1f / 32, sx);
        // weight codes [127, -64, 10] and [32, -64, 127]; activation codes [32, 16, -127]
        // row 0: 127*32 - 64*16 - 10*127 = 1770 -> 1770 * 1 / 32 = 55.3125 (float product: 55.5625)
        // row 1: 32*32 - 64*16 - 127*127 = -16129 -> -16129 / 64 / 32 = -7.87548828125 (exact)
        assertArrayEquals(new float[] {55.3125f, -7.87548828125f}, y);
    }

    @Test
    void matMulQuantizesEachTokenAlone() {
        W8A8Linear lin = W8A8Linear.quantize(W, 2, 3, ScaleRule.maxAbs());
        float[] x2 = {1f, 0.5f, -3.96875f, 100f, -3f, 0.25f};
        float[] y = new float[4];
        lin.matMul(x2, 2, y);
        float[] y0 = new float[2];
        float[] y1 = new float[2];
        lin.matVec(X, y0);
        lin.matVec(new float[] {100f, -3f, 0.25f}, y1);
        assertArrayEquals(new float[] {y0[0], y0[1], y1[0], y1[1]}, y);
    }

    /**
     * The bound the scales imply. With w = sw*qw + ew, |ew| <= sw/2 and x = sx*qx + ex, |ex| <= sx/2 (round to
     * nearest, no clipping under max-abs scales):
     * sum w x - sum sw qw sx qx = sum (w ex + ew x - ew ex), so
     * |y - y'| <= sx/2 sum|w| + sw/2 sum|x| + n sw sx / 4, plus the final float rounding of y'.
     */
    @Test
    void withinTheBoundTheScalesImply() {
        Random r = new Random(42);
        int rows = 32;
        int cols = 512;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.05);
        }
        W8A8Linear lin = W8A8Linear.quantize(w, rows, cols, ScaleRule.maxAbs());
        for (int trial = 0; trial < 8; trial++) {
            float[] x = new float[cols];
            for (int i = 0; i < cols; i++) {
                x[i] = (float) (r.nextGaussian() * (i % 37 == 0 ? 20 : 1));
            }
            float[] y = new float[rows];
            float sx = lin.matVec(x, y);
            double sumAbsX = 0;
            for (float v : x) {
                sumAbsX += Math.abs(v);
            }
            for (int row = 0; row < rows; row++) {
                double exact = 0;
                double sumAbsW = 0;
                for (int c = 0; c < cols; c++) {
                    exact += (double) w[row * cols + c] * x[c];
                    sumAbsW += Math.abs(w[row * cols + c]);
                }
                double sw = lin.rowScale(row);
                double bound = sx / 2.0 * sumAbsW + sw / 2.0 * sumAbsX + cols * sw * sx / 4.0;
                double err = Math.abs(exact - y[row]);
                assertTrue(err <= bound * (1 + 1e-4) + Math.ulp(y[row]), "row " + row + ": " + err + " > " + bound);
            }
        }
    }

    @Test
    void readsTheInt8PerRowEncoding() {
        Int8QuantizerProvider p = new Int8QuantizerProvider();
        var q = p.create(Int8Options.defaults());
        var enc = q.quantize(TensorView.ofFloats("w", Shape.of(3, 2), W), null, Arena.ofAuto());
        W8A8Linear a = W8A8Linear.fromInt8PerRow(enc.data(), 2, 3, ScaleRule.maxAbs());
        W8A8Linear b = W8A8Linear.quantize(W, 2, 3, ScaleRule.maxAbs());
        float[] ya = new float[2];
        float[] yb = new float[2];
        a.matVec(X, ya);
        b.matVec(X, yb);
        assertArrayEquals(yb, ya);
    }

    @Test
    void percentileActivationScale() {
        W8A8Linear lin = W8A8Linear.quantize(W, 2, 3, ScaleRule.percentile(0.5));
        float[] y = new float[2];
        // |x| sorted 0.5, 1, 3.97: rank ceil(1.5) = 2 -> clip 1 -> scale 1/127
        assertEquals(1f / 127, lin.matVec(X, y));
    }

    @Test
    void errorsAreClear() {
        W8A8Linear lin = W8A8Linear.quantize(W, 2, 3, ScaleRule.maxAbs());
        var shape = assertThrows(IllegalArgumentException.class, () -> lin.matVec(new float[4], new float[2]));
        assertTrue(shape.getMessage().contains("x needs 3 values (got 4)"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lin.matVec(X, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> lin.matMul(new float[5], 2, new float[4]));
        assertThrows(QuantException.class, () -> lin.matVec(new float[] {1, Float.NaN, 0}, new float[2]));
        var empty = assertThrows(IllegalArgumentException.class,
                () -> W8A8Linear.quantize(new float[0], 0, 3, ScaleRule.maxAbs()));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        var min = assertThrows(IllegalArgumentException.class, () -> W8A8Linear.of(new byte[] {1, -128},
                new float[] {1f}, 1, 2, ScaleRule.maxAbs()));
        assertTrue(min.getMessage().contains("-128"), min.getMessage());
        var scale = assertThrows(IllegalArgumentException.class, () -> W8A8Linear.of(new byte[] {1, 2},
                new float[] {Float.NaN}, 1, 2, ScaleRule.maxAbs()));
        assertTrue(scale.getMessage().contains("row 0"), scale.getMessage());
        var wide = assertThrows(IllegalArgumentException.class, () -> W8A8Linear.of(new byte[1],
                new float[1], 1, W8A8Linear.MAX_COLS + 1, ScaleRule.maxAbs()));
        assertTrue(wide.getMessage().contains("overflow"), wide.getMessage());
        var enc = assertThrows(IllegalArgumentException.class, () -> W8A8Linear.fromInt8PerRow(
                java.lang.foreign.MemorySegment.ofArray(new byte[13]), 2, 3, ScaleRule.maxAbs()));
        assertTrue(enc.getMessage().contains("14 bytes"), enc.getMessage());
        assertEquals(133_144, W8A8Linear.MAX_COLS);
    }
}
