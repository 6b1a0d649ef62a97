package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.kernels.vector.VectorCodebookArgmin;
import dev.quant4j.kernels.vector.VectorLevelSums;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The IQ2 passes' fit sums: the scalar reference must be the per-pass loop over unpacked levels (ggml's
 * {@code sumqx += w·xval·q} order, one value after the other), and every lane of the vector form must give
 * the same float bits — for 13, 16 and 19 passes (IQ2_XXS, IQ2_XS/IQ2_S), 16 and 32 values, random tables,
 * tables with −0.0, subnormals and +∞.
 */
class LevelSumsTest {
    private static float[] table(SplittableRandom r, int n, int kind) {
        float[] t = new float[4 * n + 16];
        for (int i = 0; i < 4 * n; i++) {
            t[i] = switch (kind) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> r.nextBoolean() ? -0f : Float.MIN_VALUE * r.nextInt(3);
                case 2 -> r.nextInt(20) == 0 ? Float.POSITIVE_INFINITY : (float) r.nextDouble() * 1e30f;
                default -> (float) (r.nextDouble() * 1e-3);
            };
        }
        return t;
    }

    /** Pass p's sum over its unpacked levels, value by value from 0. */
    private static float literal(int[] codes, int stride, int p, int n, float[] t) {
        byte[] levels = new byte[n];
        for (int i = 0; i < n; i++) {
            levels[i] = (byte) ((codes[(i / 8) * stride + p] >>> (2 * (i % 8))) & 3);
        }
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += t[4 * i + levels[i]];
        }
        return s;
    }

    @Test
    void referenceIsThePerPassLoop() {
        SplittableRandom r = new SplittableRandom(31);
        for (int c = 0; c < 500; c++) {
            Case k = new Case(r, c);
            LevelSums.codes8Scalar(k.codes, k.stride, k.passes, k.n, k.tx, k.t2, k.sx, k.s2);
            for (int p = 0; p < k.passes; p++) {
                assertEquals(Float.floatToRawIntBits(literal(k.codes, k.stride, p, k.n, k.tx)),
                        Float.floatToRawIntBits(k.sx[p]), "case " + c + " pass " + p);
                assertEquals(Float.floatToRawIntBits(literal(k.codes, k.stride, p, k.n, k.t2)),
                        Float.floatToRawIntBits(k.s2[p]), "case " + c + " pass " + p);
            }
        }
    }

    @Test
    void lanesGiveTheReferenceSums() {
        assumeTrue(Vectorization.enabled() && VectorCodebookArgmin.supported(),
                "no 16-lane vectors here (run with --add-modules jdk.incubator.vector on AVX-512): scalar only");
        SplittableRandom r = new SplittableRandom(32);
        for (int c = 0; c < 3000; c++) {
            Case k = new Case(r, c);
            float[] vx = new float[k.sx.length];
            float[] v2 = new float[k.sx.length];
            LevelSums.codes8Scalar(k.codes, k.stride, k.passes, k.n, k.tx, k.t2, k.sx, k.s2);
            VectorLevelSums.codes8(k.codes, k.stride, k.passes, k.n, k.tx, k.t2, vx, v2);
            for (int p = 0; p < k.passes; p++) {
                assertEquals(Float.floatToRawIntBits(k.sx[p]), Float.floatToRawIntBits(vx[p]), "case " + c + " pass " + p);
                assertEquals(Float.floatToRawIntBits(k.s2[p]), Float.floatToRawIntBits(v2[p]), "case " + c + " pass " + p);
            }
        }
    }

    /** One random input: pass count, value count, codes (levels 0–2, sometimes 3), two tables. */
    private static final class Case {
        final int passes;
        final int n;
        final int stride;
        final int[] codes;
        final float[] tx;
        final float[] t2;
        final float[] sx;
        final float[] s2;

        Case(SplittableRandom r, int c) {
            passes = new int[] {13, 16, 19, 1}[c % 4];
            n = c % 2 == 0 ? 32 : 16;
            stride = (passes + 15) / 16 * 16;
            codes = new int[n / 8 * stride];
            for (int i = 0; i < codes.length; i++) {
                int code = 0;
                for (int j = 0; j < 8; j++) {
                    code |= (c % 7 == 0 ? r.nextInt(4) : r.nextInt(3)) << (2 * j);
                }
                codes[i] = code;
            }
            tx = table(r, n, c % 4);
            t2 = table(r, n, (c / 4) % 4);
            sx = new float[stride];
            s2 = new float[stride];
        }
    }
}
