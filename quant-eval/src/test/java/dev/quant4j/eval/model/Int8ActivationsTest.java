package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.MatTile;
import org.junit.jupiter.api.Test;

/** Simulated dynamic per-token int8 activations (vLLM's W8A8 input quantization), checked by hand. */
class Int8ActivationsTest {
    // token 0: max 127 -> scale 1: 127, -50.5 ties to -50, 0.5 ties to 0, 63.5 ties to 64
    // token 1: zeros stay zeros
    // token 2: max 2 -> x · 63.5: -127, 63.5 -> 64, 15.875 -> 16, -47.625 -> -48; times scale 2/127
    private static final float[] X = {127, -50.5f, 0.5f, 63.5f, 0, 0, 0, 0, -2, 1, 0.25f, -0.75f};
    private static final float S = 2f / 127f;
    private static final float[] Q = {127, -50, 0, 64, 0, 0, 0, 0, -127 * S, 64 * S, 16 * S, -48 * S};

    @Test
    void eachTokenRowIsQuantizedWithItsOwnScale() {
        assertArrayEquals(Q, Int8Activations.perToken(X, 3, 4));
    }

    @Test
    void layerLinearsSeeQuantizedInputsTheOutputHeadDoesNot() {
        // W = [[1, 0, 0, 0], [0, 1, 1, 0]]: row 0 picks x0, row 1 sums x1 + x2
        float[] w = {1, 0, 0, 0, 0, 1, 1, 0};
        MatMul mm = new MatMul(new Parallel(1), MatTile.scalar(), false, true);
        float[] out = new float[6];
        mm.apply(matrix("blk.0.attn_q.weight", w), X, 3, out, ActivationObserver.NONE);
        assertArrayEquals(new float[] {127, -50, 0, 0, -127 * S, 64 * S + 16 * S}, out, 1e-6f);
        mm.apply(matrix("output.weight", w), X, 3, out, ActivationObserver.NONE);
        assertArrayEquals(new float[] {127, -50, 0, 0, -2, 1.25f}, out, 1e-6f);
        new MatMul(new Parallel(1), MatTile.scalar(), false, false)
                .apply(matrix("blk.0.attn_q.weight", w), X, 3, out, ActivationObserver.NONE);
        assertArrayEquals(new float[] {127, -50, 0, 0, -2, 1.25f}, out, 1e-6f);
    }

    private static Matrix matrix(String name, float[] w) {
        return new Matrix(TensorView.ofFloats(name, Shape.of(4, 2), w), null, -1, 2);
    }
}
