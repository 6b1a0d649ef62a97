package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SwiGLU over a range {@code [from, to)}: the forward pass runs it in pieces on several threads, so pieces that start
 * at multiples of 64 must give the bits of one call over everything (the vector loop and its scalar tail see the
 * same elements), with the vector and the scalar implementation alike, and leave the elements outside alone.
 */
class SwigluPiecesTest {
    @Test
    void piecesGiveTheBitsOfOneCall() {
        SplittableRandom r = new SplittableRandom(9);
        for (Activations act : new Activations[] {Activations.scalar(), Activations.create()}) {
            for (int n : new int[] {5, 64, 200, 1000, 4099}) {
                float[][] gu = inputs(r, n);
                float[] g = gu[0];
                float[] u = gu[1];
                float[] whole = g.clone();
                act.swiglu(whole, u, n);
                for (int grain : new int[] {64, 128, 1024}) {
                    float[] pieces = g.clone();
                    for (int from = 0; from < n; from += grain) {
                        act.swiglu(pieces, u, from, Math.min(n, from + grain));
                    }
                    assertArrayEquals(whole, pieces, act + " n " + n + " grain " + grain);
                }
            }
        }
    }

    /**
     * An element's bits do not depend on where the range ends (the forward pass's last block may run fewer rows):
     * the vector form computes its tail in masked lanes with the body's arithmetic.
     */
    @Test
    void anElementsBitsDoNotDependOnTheRangesEnd() {
        SplittableRandom r = new SplittableRandom(10);
        int n = 1000;
        float[][] gu = inputs(r, n);
        float[] g = gu[0];
        float[] u = gu[1];
        float[] whole = g.clone();
        Activations.create().swiglu(whole, u, n);
        for (int end = n - 40; end < n; end++) {
            float[] part = g.clone();
            Activations.create().swiglu(part, u, end);
            assertArrayEquals(java.util.Arrays.copyOf(whole, end), java.util.Arrays.copyOf(part, end), "end " + end);
        }
    }

    /** Gates (wide enough to reach exp's flat ends) and up values, {@code n} of each. */
    private static float[][] inputs(SplittableRandom r, int n) {
        float[] g = new float[n];
        float[] u = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (r.nextGaussian() * 6);
            u[i] = (float) r.nextGaussian();
        }
        return new float[][] {g, u};
    }

    @Test
    void aRangeTouchesOnlyItsElements() {
        float[] g = {1f, 2f, 3f, 4f};
        float[] u = {1f, 1f, 1f, 1f};
        Activations.create().swiglu(g, u, 1, 3);
        assertEquals(1f, g[0]);
        assertEquals(4f, g[3]);
        assertEquals((float) (2 / (1 + Math.exp(-2))), g[1], 1e-6f);   // silu(2) * 1, by hand: 1.7616
        assertEquals((float) (3 / (1 + Math.exp(-3))), g[2], 1e-6f);   // silu(3) = 2.8577
    }
}
