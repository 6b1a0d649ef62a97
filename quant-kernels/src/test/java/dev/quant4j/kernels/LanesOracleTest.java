package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.vector.VectorQkxBatch;
import dev.quant4j.kernels.vector.VectorQxBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vectorized searches must equal the one-block scalar references bit for bit. */
class LanesOracleTest {
    @Test
    void vectorizationIsActiveInThisBuild() {
        assertTrue(Vectorization.enabled(), Vectorization.describe());
    }

    /** Blocks of mixed character: Gaussian, outliers, zeros, constants, one-signed, tiny, coarse ties. */
    static float[] blocks(SplittableRandom r, int lanes, int n) {
        float[] x = new float[lanes * n];
        for (int j = 0; j < lanes; j++) {
            int kind = r.nextInt(10);
            float sigma = (float) Math.scalb(1.0, r.nextInt(-20, 4));
            float c = (float) r.nextGaussian();
            for (int i = 0; i < n; i++) {
                float g = (float) (r.nextGaussian() * sigma);
                x[j * n + i] = switch (kind) {
                    case 0 -> 0f;
                    case 1 -> c;
                    case 2 -> Math.abs(g);
                    case 3 -> -Math.abs(g);
                    case 4 -> i == 3 ? 30 * sigma : g;
                    case 5 -> Math.round(g / sigma * 2) * sigma / 2;
                    case 6 -> i % 5 == 0 ? 0f : g;
                    case 7 -> i == 0 ? 1e-16f : 0f;
                    default -> g;
                };
            }
        }
        return x;
    }

    /** Blocks whose largest magnitude ranges from Float.MAX_VALUE down to subnormal, mixed signs and outliers. */
    static float[] extremeBlocks(SplittableRandom r, int lanes, int n) {
        float[] scalesOfBlocks = {Float.MAX_VALUE, 1e30f, 1e-30f, Float.MIN_NORMAL, 1e-40f, 1e-15f, 2e-15f};
        float[] x = new float[lanes * n];
        for (int j = 0; j < lanes; j++) {
            float m = scalesOfBlocks[r.nextInt(scalesOfBlocks.length)];
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble() * 2 - 1;
                x[j * n + i] = switch (r.nextInt(4)) {
                    case 0 -> (float) (u * m);
                    case 1 -> i == 0 ? (u < 0 ? -m : m) : (float) (u * m * 1e-20);
                    case 2 -> (float) Math.copySign(m, u);
                    default -> (float) (u * u * m);
                };
            }
        }
        return x;
    }

    static float[] weights(SplittableRandom r, float[] x, boolean abs) {
        float[] w = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            w[i] = abs ? Math.abs(x[i]) : r.nextInt(10) == 0 ? 0f : (float) (r.nextDouble() * 3);
        }
        return w;
    }

    @Test
    void vectorQkxEqualsReference() {
        SplittableRandom r = new SplittableRandom(11);
        int[][] configs = {{16, 3}, {32, 15}, {32, 31}};
        for (int t = 0; t < 90; t++) {
            int[] cfg = configs[t % configs.length];
            int n = cfg[0];
            int nmax = cfg[1];
            int lanes = 1 + r.nextInt(70);
            boolean v3 = r.nextBoolean();
            boolean mad = !v3 && nmax == 3;
            boolean nullW = v3 && r.nextInt(3) == 0;
            float rmin = v3 ? -0.9f : nmax == 15 ? -1f : -0.5f;
            float rdelta = v3 ? 0.05f : 0.1f;
            int nstep = v3 ? 36 : nmax == 15 ? 20 : 15;
            float[] x = blocks(r, lanes, n);
            float[] w = nullW ? null : weights(r, x, mad);
            byte[] expL = new byte[lanes * n];
            float[] expS = new float[lanes];
            float[] expM = new float[lanes];
            QkxBatch.scalar(n).make(lanes, nmax, x, 0, w, 0, rmin, rdelta, nstep, mad, v3, expL, 0, expS, expM, 0);
            // offsets everywhere, and a batch larger than needed
            float[] xs = shift(x, 7);
            float[] ws = w == null ? null : shift(w, 3);
            byte[] gotL = new byte[lanes * n + 5];
            float[] gotS = new float[lanes + 2];
            float[] gotM = new float[lanes + 2];
            new VectorQkxBatch(n).make(lanes, nmax, xs, 7, ws, 3, rmin, rdelta, nstep, mad, v3, gotL, 5, gotS, gotM, 2);
            String what = "trial " + t + " n=" + n + " nmax=" + nmax + " v3=" + v3 + " lanes=" + lanes;
            assertArrayEquals(expL, java.util.Arrays.copyOfRange(gotL, 5, 5 + lanes * n), what + " levels");
            for (int j = 0; j < lanes; j++) {
                assertEquals(Float.floatToRawIntBits(expS[j]), Float.floatToRawIntBits(gotS[2 + j]), what + " scale " + j);
                assertEquals(Float.floatToRawIntBits(expM[j]), Float.floatToRawIntBits(gotM[2 + j]), what + " min " + j);
            }
        }
    }

    @Test
    void vectorQxEqualsReference() {
        SplittableRandom r = new SplittableRandom(12);
        int[][] configs = {{16, 32}, {16, 4}, {32, 8}, {32, 16}};
        for (int t = 0; t < 80; t++) {
            int[] cfg = configs[t % configs.length];
            int n = cfg[0];
            int nmax = cfg[1];
            int lanes = 1 + r.nextInt(70);
            float[] x = blocks(r, lanes, n);
            float[] qw = r.nextBoolean() ? null : weights(r, x, false);
            checkQx(new VectorQxBatch(n)::make, n, nmax, lanes, x, qw, "trial " + t);
        }
    }

    /**
     * Blocks at the ends of the float range through both Qx forms: near Float.MAX_VALUE, subnormal, one huge
     * outlier among tiny values, mixed signs (every level argument is a candidate scale times a value of the
     * block, the scale divided by the block's largest value, so the levels stay small whatever the magnitude).
     */
    @Test
    void vectorQxEqualsReferenceAtExtremeMagnitudes() {
        SplittableRandom r = new SplittableRandom(13);
        for (int t = 0; t < 60; t++) {
            int n = t % 2 == 0 ? 16 : 32;
            int nmax = new int[] {32, 4, 8, 16}[t % 4];
            int lanes = 1 + r.nextInt(40);
            float[] x = extremeBlocks(r, lanes, n);
            float[] qw = r.nextBoolean() ? null : weights(r, x, false);
            checkQx(new VectorQxBatch(n)::make, n, nmax, lanes, x, qw, "extreme trial " + t);
        }
    }

    /**
     * Scales only (levels null): the vector search, the lane search and the reference itself against the reference's
     * scales with levels, bit for bit, on mixed and extreme blocks, with and without weights.
     */
    @Test
    void scalesWithoutLevelsEqualReference() {
        SplittableRandom r = new SplittableRandom(14);
        int[][] configs = {{16, 32}, {16, 4}, {32, 8}, {32, 16}};
        for (int t = 0; t < 120; t++) {
            int[] cfg = configs[t % configs.length];
            int n = cfg[0];
            int nmax = cfg[1];
            int lanes = 1 + r.nextInt(70);
            float[] x = t % 3 == 2 ? extremeBlocks(r, lanes, n) : blocks(r, lanes, n);
            float[] qw = r.nextBoolean() ? null : weights(r, x, false);
            float[] exp = new float[lanes];
            QxBatch.scalar(n).make(lanes, nmax, x, 0, qw, 0, new byte[lanes * n], 0, exp, 0);
            QxBatch[] forms = {new VectorQxBatch(n)::make, new LaneQxBatch(n), QxBatch.scalar(n)};
            for (int f = 0; f < forms.length; f++) {
                float[] got = new float[lanes + 2];
                forms[f].make(lanes, nmax, shift(x, 3), 3, qw == null ? null : shift(qw, 1), 1, null, 0, got, 2);
                for (int j = 0; j < lanes; j++) {
                    assertEquals(Float.floatToRawIntBits(exp[j]), Float.floatToRawIntBits(got[2 + j]),
                            "trial " + t + " form " + f + " n=" + n + " nmax=" + nmax + " block " + j);
                }
            }
        }
    }

    /**
     * Requantization of consecutive blocks, each with its own step: the vector form equals the scalar one; the
     * scalar one equals {@link Requantize#symmetricScalar} per block, skips zero steps (levels and restored values
     * untouched), and restores {@code step * (level - bias)}, the block decoder's product.
     */
    @Test
    void requantizedBlocksAndRestoredValues() {
        SplittableRandom r = new SplittableRandom(15);
        for (int t = 0; t < 300; t++) {
            int len = new int[] {16, 32, 5, 24}[t % 4];
            int blocks = 1 + r.nextInt(17);
            float[] x = new float[blocks * len + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-10, 30)));
            }
            float[] dj = new float[blocks + 1];
            for (int b = 0; b < blocks; b++) {
                dj[b + 1] = r.nextInt(5) == 0 ? 0f
                        : (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-12, 4))) + Float.MIN_NORMAL;
            }
            byte[] expL = new byte[blocks * len + 2];
            float[] expR = new float[blocks * len + 1];
            java.util.Arrays.fill(expL, (byte) 77);
            java.util.Arrays.fill(expR, 7f);
            byte[] gotL = expL.clone();
            float[] gotR = expR.clone();
            Requantize.symmetricBlocksScalar(x, 3, blocks, len, dj, 1, -32, 31, 32, expL, 2, expR, 1);
            dev.quant4j.kernels.vector.VectorRequantize.symmetricBlocks(x, 3, blocks, len, dj, 1, -32, 31, 32, gotL, 2,
                    gotR, 1);
            assertArrayEquals(expL, gotL, "levels, trial " + t);
            for (int i = 0; i < expR.length; i++) {
                assertEquals(Float.floatToRawIntBits(expR[i]), Float.floatToRawIntBits(gotR[i]), "restored " + i);
            }
            for (int b = 0; b < blocks; b++) {
                byte[] one = new byte[len];
                java.util.Arrays.fill(one, (byte) 77);
                if (dj[b + 1] != 0) {
                    Requantize.symmetricScalar(x, 3 + b * len, len, dj[b + 1], -32, 31, 32, one, 0);
                }
                byte[] stored = java.util.Arrays.copyOfRange(expL, 2 + b * len, 2 + (b + 1) * len);
                assertArrayEquals(one, stored, "block " + b);
                for (int i = 0; i < len; i++) {
                    float want = dj[b + 1] == 0 ? 7f : dj[b + 1] * (float) (one[i] - 32);
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(expR[1 + b * len + i]),
                            "restored block " + b + " value " + i);
                }
            }
        }
    }

    @Test
    void vectorRequantizeEqualsScalarIncludingUpstreamGarbageRange() {
        SplittableRandom r = new SplittableRandom(13);
        for (int t = 0; t < 300; t++) {
            int count = 1 + r.nextInt(40);
            float[] x = new float[count + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-10, 30)));
            }
            float dj = (float) (r.nextDouble() * Math.scalb(1.0, r.nextInt(-12, 4))) + Float.MIN_NORMAL;
            float dm = (float) r.nextGaussian();
            byte[] exp = new byte[count + 2];
            byte[] got = new byte[count + 2];
            Requantize.affineScalar(x, 3, count, dm, dj, 15, exp, 2);
            dev.quant4j.kernels.vector.VectorRequantize.affine(x, 3, count, dm, dj, 15, got, 2);
            assertArrayEquals(exp, got, "affine trial " + t);
            Requantize.symmetricScalar(x, 2, count, dj, -32, 31, 32, exp, 1);
            dev.quant4j.kernels.vector.VectorRequantize.symmetric(x, 2, count, dj, -32, 31, 32, got, 1);
            assertArrayEquals(exp, got, "symmetric trial " + t);
        }
    }

    /**
     * Runs {@code search} on shifted copies (an offset into every array, a sentinel before the levels) and
     * compares its levels and scales, bit for bit, with the one-block reference {@link QxBatch#scalar}.
     */
    static void checkQx(QxBatch search, int n, int nmax, int lanes, float[] x, float[] qw, String what) {
        byte[] expL = new byte[lanes * n];
        float[] expS = new float[lanes];
        QxBatch.scalar(n).make(lanes, nmax, x, 0, qw, 0, expL, 0, expS, 0);
        byte[] gotL = new byte[lanes * n + 3];
        java.util.Arrays.fill(gotL, (byte) 99);
        float[] gotS = new float[lanes + 2];
        search.make(lanes, nmax, shift(x, 3), 3, qw == null ? null : shift(qw, 1), 1, gotL, 3, gotS, 2);
        String at = what + " n=" + n + " nmax=" + nmax + " lanes=" + lanes + " qw=" + (qw != null);
        assertArrayEquals(expL, java.util.Arrays.copyOfRange(gotL, 3, 3 + lanes * n), at + " levels");
        for (int j = 0; j < lanes; j++) {
            assertEquals(Float.floatToRawIntBits(expS[j]), Float.floatToRawIntBits(gotS[2 + j]), at + " scale " + j);
        }
    }

    static float[] shift(float[] a, int by) {
        float[] b = new float[a.length + by];
        System.arraycopy(a, 0, b, by, a.length);
        return b;
    }
}
