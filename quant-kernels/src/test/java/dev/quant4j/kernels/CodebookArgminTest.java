package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.kernels.vector.VectorCodebookArgmin;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vectorized codebook search must pick the candidate the scalar reference picks, and the scalar
 * reference must be ggml's rule (first strict minimum of the left-to-right sums), on random and adversarial
 * terms: all equal (ties everywhere), zeros and subnormals, +∞, huge finite terms whose totals overflow to
 * +∞; repeated candidates; lists of every length around the lane count, some ending at the array's end.
 */
class CodebookArgminTest {
    private static final int CASES = 3000;

    /** Terms of one kind: 0 random, 1 all equal, 2 zeros with a few subnormal, 3 with +∞, 4 huge (sums overflow). */
    private static float[] terms(SplittableRandom r, int kind) {
        float[] t = new float[40];
        for (int i = 0; i < t.length; i++) {
            t[i] = switch (kind) {
                case 0 -> (float) r.nextDouble() * 0.01f;
                case 1 -> 0.25f;
                case 2 -> r.nextInt(5) == 0 ? Float.MIN_VALUE * r.nextInt(1, 3) : 0f;
                case 3 -> r.nextInt(4) == 0 ? Float.POSITIVE_INFINITY : r.nextInt(3) * 0.5f;
                default -> Float.MAX_VALUE / r.nextInt(1, 6);
            };
        }
        return t;
    }

    /** ggml's loop, literally: running best from FLT_MAX, strict {@code <}, sums from coordinate 0. */
    private static int literal(float[] t, int b, int[] idx, int from, int n) {
        float best = Float.MAX_VALUE;
        int at = -1;
        for (int k = 0; k < n; k++) {
            float d2 = 0;
            for (int i = 0; i < 4; i++) {
                float term = t[b + ((idx[from + k] >>> (5 * i)) & 31)];
                d2 = i == 0 ? term : d2 + term;
            }
            if (d2 < best) {
                best = d2;
                at = k;
            }
        }
        return at;
    }

    @Test
    void scalarReferenceIsGgmlsFirstStrictMinimum() {
        SplittableRandom r = new SplittableRandom(7);
        for (int c = 0; c < CASES; c++) {
            float[] t = terms(r, c % 5);
            int n = r.nextInt(0, 40);
            int[] entries = new int[n + 3];
            fill(r, entries, c % 7 == 0);
            int b = r.nextInt(0, 9);
            assertEquals(literal(t, b, entries, 3, n), CodebookArgmin.argmin4Scalar(t, b, entries, 3, n),
                    "case " + c);
        }
    }

    @Test
    void vectorSearchesPickTheScalarCandidate() {
        assumeTrue(Vectorization.enabled() && VectorCodebookArgmin.supported(),
                "no 16-lane vectors here (run with --add-modules jdk.incubator.vector on AVX-512): scalar only");
        SplittableRandom r = new SplittableRandom(11);
        for (int c = 0; c < CASES; c++) {
            float[] t = terms(r, c % 5);
            int n = r.nextInt(0, 50);
            // from = 0 puts the last candidates at the array's end (the masked load)
            int from = r.nextBoolean() ? 0 : r.nextInt(1, 20);
            int[] entries = new int[from + n];
            fill(r, entries, c % 7 == 0);
            int b = r.nextInt(0, 9);
            assertEquals(CodebookArgmin.argmin4Scalar(t, b, entries, from, n),
                    VectorCodebookArgmin.argmin4(t, b, entries, from, n), "case " + c + ", n " + n);
        }
    }

    /**
     * Random candidates (5-bit term indices 0–31, the list position above bit 20 as the IQ3 lists store it),
     * or with {@code repeat} the same candidate over and over (exact ties: the first must win).
     */
    private static void fill(SplittableRandom r, int[] entries, boolean repeat) {
        int e0 = 0;
        for (int k = 0; k < entries.length; k++) {
            int e = 0;
            for (int i = 0; i < 4; i++) {
                e |= r.nextInt(32) << (5 * i);
            }
            e0 = k == 0 ? e : e0;
            entries[k] = (repeat ? e0 : e) | k << 20;
        }
    }
}
