package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.kernels.vector.VectorQ3Batch;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The lane-per-block make_q3_quants must equal the one-block scalar reference bit for bit. */
class Q3BatchOracleTest {
    @Test
    void vectorEqualsScalarOnMixedBlocks() {
        SplittableRandom r = new SplittableRandom(31);
        int[][] configs = {{16, 4}, {16, 2}, {32, 4}, {16, 8}};
        for (int t = 0; t < 120; t++) {
            int[] cfg = configs[t % configs.length];
            int n = cfg[0];
            int nmax = cfg[1];
            int lanes = 1 + r.nextInt(70);
            float[] x = LanesOracleTest.blocks(r, lanes, n);
            check(n, nmax, lanes, x, "trial " + t + " n=" + n + " nmax=" + nmax + " lanes=" + lanes);
        }
    }

    /** Trained-weight-like rows (what Q3_K meets in practice), where the level moves run several passes. */
    @Test
    void vectorEqualsScalarOnGaussianRows() {
        SplittableRandom r = new SplittableRandom(32);
        for (int t = 0; t < 20; t++) {
            int lanes = 256;
            float[] x = new float[lanes * 16];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * 0.02);
            }
            check(16, 4, lanes, x, "gaussian row " + t);
        }
    }

    private static void check(int n, int nmax, int lanes, float[] x, String what) {
        byte[] expL = new byte[lanes * n];
        float[] expS = new float[lanes];
        Q3Batch.scalar(n).make(lanes, nmax, x, 0, expL, 0, expS, 0);
        // offsets everywhere; output slots around the range must stay untouched
        float[] xs = new float[x.length + 3];
        System.arraycopy(x, 0, xs, 3, x.length);
        byte[] gotL = new byte[lanes * n + 9];
        Arrays.fill(gotL, (byte) 77);
        float[] gotS = new float[lanes + 6];
        Arrays.fill(gotS, 5f);
        new VectorQ3Batch(n).make(lanes, nmax, xs, 3, gotL, 4, gotS, 2);
        assertArrayEquals(expL, Arrays.copyOfRange(gotL, 4, 4 + lanes * n), what + " levels");
        for (int j = 0; j < lanes; j++) {
            assertEquals(Float.floatToRawIntBits(expS[j]), Float.floatToRawIntBits(gotS[2 + j]), what + " scale " + j);
        }
        assertEquals(77, gotL[3], what + " byte before");
        assertEquals(77, gotL[4 + lanes * n], what + " byte after");
        assertEquals(5f, gotS[1], what + " scale before");
        assertEquals(5f, gotS[2 + lanes], what + " scale after");
    }
}
