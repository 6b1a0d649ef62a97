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

    /**
     * argmin8Lanes on random grouped lists: every lane must get ggml's literal answer (its own terms
     * {@code (w·d)·d}, {@code d = scale·q − x}, summed from coordinate 0, first strict minimum in list order from
     * FLT_MAX), from the scalar reference and, where 16 lanes are native, from the vector kernel. Inputs include
     * ties (repeated codes, all-equal values), zero weights, values exactly on a level (d = 0), large scales whose
     * terms overflow to +∞, and every lane count.
     */
    @Test
    void laneSearchesGiveEachLaneGgmlsAnswer() {
        boolean vector = Vectorization.enabled() && VectorCodebookArgmin.supported();
        SplittableRandom r = new SplittableRandom(13);
        float[] q = {1, 3, 5};
        float[] tv = new float[96 * CodebookArgmin.LANES];
        int[] scalarOut = new int[CodebookArgmin.LANES];
        int[] vectorOut = new int[CodebookArgmin.LANES];
        for (int c = 0; c < CASES; c++) {
            int kind = c % 5;
            int n = r.nextInt(1, 40);
            int[] codes = new int[n];
            for (int k = 0; k < n; k++) {
                codes[k] = kind == 1 && k > 0 ? codes[r.nextInt(k)] : randomCode(r, c % 3 == 0);
            }
            int pad = r.nextInt(0, 5);
            int[] lists = grouped(codes, pad);
            float[] x = new float[12];
            float[] w = new float[12];
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (kind) {
                    case 2 -> 1f;
                    case 3 -> (2 * r.nextInt(3) + 1) * 0.5f;
                    default -> (float) r.nextDouble() * 3;
                };
                w[i] = kind == 4 && r.nextBoolean() ? 0f : (float) r.nextDouble();
            }
            int lanes = r.nextInt(1, CodebookArgmin.LANES + 1);
            float[] scales = new float[CodebookArgmin.LANES];
            for (int j = 0; j < scales.length; j++) {
                scales[j] = switch (kind) {
                    case 2 -> 0.5f;
                    case 3 -> 0.5f;
                    case 4 -> j % 4 == 0 ? 1e19f : (float) r.nextDouble();
                    default -> (float) (0.2 + r.nextDouble());
                };
            }
            int xo = r.nextInt(0, 5);
            CodebookArgmin.argmin8LanesScalar(scales, lanes, q, x, xo, w, xo, lists, pad, tv, scalarOut);
            if (vector) {
                VectorCodebookArgmin.argmin8Lanes(scales, lanes, q, x, xo, w, xo, lists, pad, tv, vectorOut);
            }
            for (int j = 0; j < lanes; j++) {
                int expected = literal8(scales[j], q, x, xo, w, codes);
                assertEquals(expected, scalarOut[j], "case " + c + ", lane " + j + " (scalar)");
                if (vector) {
                    assertEquals(expected, vectorOut[j], "case " + c + ", lane " + j + " (vector)");
                }
            }
            // the same searches split in two: terms of all 16 lanes once, then a walk for a subset of lanes
            int active = r.nextInt(1, 1 << CodebookArgmin.LANES);
            CodebookArgmin.terms8LanesScalar(scales, q, x, xo, w, xo, tv);
            CodebookArgmin.argmin8MaskedScalar(tv, active, lists, pad, scalarOut);
            if (vector) {
                VectorCodebookArgmin.terms8Lanes(scales, q, x, xo, w, xo, tv);
                VectorCodebookArgmin.argmin8Masked(tv, active, lists, pad, vectorOut);
            }
            for (int j = 0; j < CodebookArgmin.LANES; j++) {
                if ((active >>> j & 1) == 0) {
                    continue;
                }
                int expected = literal8(scales[j], q, x, xo, w, codes);
                assertEquals(expected, scalarOut[j], "case " + c + ", masked lane " + j + " (scalar)");
                if (vector) {
                    assertEquals(expected, vectorOut[j], "case " + c + ", masked lane " + j + " (vector)");
                }
            }
        }
    }

    /** A code of 8 levels 0–2 (2 bits each); {@code narrow} keeps the low half among few values (big groups). */
    private static int randomCode(SplittableRandom r, boolean narrow) {
        int u = 0;
        for (int i = 0; i < 8; i++) {
            u |= (narrow && i < 4 ? r.nextInt(2) : r.nextInt(3)) << (2 * i);
        }
        return u;
    }

    /** ggml's neighbour loop over a flat list, literally, for one scale: the winning code or -1. */
    private static int literal8(float scale, float[] q, float[] x, int xo, float[] w, int[] codes) {
        float best = Float.MAX_VALUE;
        int at = -1;
        for (int code : codes) {
            float d2 = 0;
            for (int i = 0; i < 8; i++) {
                float d = scale * q[(code >>> (2 * i)) & 3] - x[xo + i];
                float term = w[xo + i] * d * d;
                d2 = i == 0 ? term : d2 + term;
            }
            if (d2 < best) {
                best = d2;
                at = code;
            }
        }
        return at;
    }

    /**
     * The codes as the IQ2 searches store a list, after {@code pad} unused words: grouped by their low half in
     * order of first appearance, each group's head carrying the level range of its coordinates 4–7.
     */
    private static int[] grouped(int[] codes, int pad) {
        int n = codes.length;
        int[] out = new int[pad + 1 + 2 * n];
        boolean[] done = new boolean[n];
        int p = pad + 1;
        int groups = 0;
        for (int a = 0; a < n; a++) {
            if (done[a]) {
                continue;
            }
            int low = codes[a] & 0xFF;
            int head = p++;
            int count = 0;
            int[] lo = {3, 3, 3, 3};
            int[] hi = {0, 0, 0, 0};
            for (int b = a; b < n; b++) {
                if (!done[b] && (codes[b] & 0xFF) == low) {
                    done[b] = true;
                    out[p++] = codes[b] | b << 16;
                    count++;
                    for (int i = 0; i < 4; i++) {
                        int l = (codes[b] >>> (8 + 2 * i)) & 3;
                        lo[i] = Math.min(lo[i], l);
                        hi[i] = Math.max(hi[i], l);
                    }
                }
            }
            int ranges = 0;
            for (int i = 0; i < 4; i++) {
                ranges |= (3 * lo[i] + hi[i]) << (4 * i);
            }
            out[head] = low | ranges << 8 | count << 24;
            groups++;
        }
        out[pad] = n | groups << 16;
        return out;
    }

    /** The IQ3 cell ranges (dev.quant4j.lowbit.iq.DominanceLists: margin 1e-3, limit 64), padded to 16. */
    private static final float[] CELL_LO = new float[16];
    private static final float[] CELL_HI = new float[16];

    static {
        for (int l = 0; l < 8; l++) {
            CELL_LO[l] = l == 0 ? -64f : -0.5f + 1e-3f;
            CELL_HI[l] = l == 7 ? 64f - 7 : 0.5f - 1e-3f;
        }
    }

    /**
     * levelCodes4: per pass the levels round(0.5·(id·x − 1)) clamped to 0..7 (ties to even, as ggml's
     * nearest_int within its range) and the cell test; vector = scalar = a literal computation, on values
     * placed on and next to the rounding edges, zeros, negatives and values far beyond the top level.
     */
    @Test
    void levelCodesOfEveryPass() {
        boolean vector = Vectorization.enabled() && VectorCodebookArgmin.supported();
        SplittableRandom r = new SplittableRandom(17);
        int[] scalar = new int[32];
        int[] vec = new int[32];
        for (int c = 0; c < CASES; c++) {
            int passes = r.nextInt(1, 33);
            float[] ids = passIds(r, c);
            float[] x = levelInputs(r, 6, 8, true);
            int xo = r.nextInt(0, 3);
            CodebookArgmin.levelCodes4Scalar(ids, passes, x, xo, CELL_LO, CELL_HI, scalar);
            if (vector) {
                VectorCodebookArgmin.levelCodes4(ids, passes, x, xo, CELL_LO, CELL_HI, vec);
            }
            for (int p = 0; p < passes; p++) {
                int code = 0;
                boolean inside = true;
                for (int i = 0; i < 4; i++) {
                    float v = 0.5f * (ids[p] * x[xo + i] - 1);
                    int l = (int) Math.max(0, Math.min(7, Math.rint(v)));
                    float f = v - l;
                    inside &= f >= CELL_LO[l] && f <= CELL_HI[l];
                    code |= l << (3 * i);
                }
                int expected = code | (inside ? 1 << 15 : 0);
                assertEquals(expected, scalar[p], "case " + c + " pass " + p + " (scalar)");
                if (vector) {
                    assertEquals(expected, vec[p], "case " + c + " pass " + p + " (vector)");
                }
            }
        }
    }

    /**
     * terms4Lanes and argmin4Lanes: every pass's terms bit-identical to (w·d)·d, d = scale·q − x, on both
     * paths, and each lane's search ggml's first strict minimum over its own terms (ties, zeros, +∞ included).
     */
    @Test
    void laneSearchesOfTheIq3Passes() {
        boolean vector = Vectorization.enabled() && VectorCodebookArgmin.supported();
        SplittableRandom r = new SplittableRandom(19);
        float[] q = {1, 3, 5, 7, 9, 11, 13, 15};
        float[] scalarTerms = new float[1024];
        float[] vectorTerms = new float[1024];
        int[] scalarOut = new int[32];
        int[] vectorOut = new int[32];
        for (int c = 0; c < CASES; c++) {
            int passes = r.nextInt(1, 33);
            float[] scales = new float[32];
            for (int p = 0; p < 32; p++) {
                scales[p] = c % 4 == 0 ? 0.5f : c % 4 == 1 && p % 5 == 0 ? 1e19f : (float) (0.05 + r.nextDouble());
            }
            float[] x = new float[7];
            float[] w = new float[7];
            for (int i = 0; i < x.length; i++) {
                x[i] = c % 4 == 0 ? r.nextInt(16) * 0.25f : (float) (r.nextDouble() * 8);
                w[i] = r.nextInt(4) == 0 ? 0f : (float) r.nextDouble();
            }
            int xo = r.nextInt(0, 4);
            CodebookArgmin.terms4LanesScalar(scales, passes, q, x, xo, w, xo, scalarTerms);
            if (vector) {
                VectorCodebookArgmin.terms4Lanes(scales, passes, q, x, xo, w, xo, vectorTerms);
            }
            for (int p = 0; p < passes; p++) {
                int base = 32 * (p - p % 16) + p % 16;
                for (int i = 0; i < 4; i++) {
                    for (int l = 0; l < 8; l++) {
                        float d = scales[p] * q[l] - x[xo + i];
                        float t = w[xo + i] * d * d;
                        assertEquals(Float.floatToRawIntBits(t), Float.floatToRawIntBits(scalarTerms[base + 16 * (8 * i + l)]));
                        if (vector) {
                            assertEquals(Float.floatToRawIntBits(t), Float.floatToRawIntBits(vectorTerms[base + 16 * (8 * i + l)]));
                        }
                    }
                }
            }
            int n = r.nextInt(0, 24);
            int from = r.nextInt(0, 5);
            int[] entries = new int[from + n];
            fill(r, entries, c % 7 == 0);
            for (int chunk = 0; chunk < (passes + 15) / 16; chunk++) {
                CodebookArgmin.argmin4LanesScalar(scalarTerms, 512 * chunk, entries, from, n, scalarOut, 16 * chunk);
                if (vector) {
                    VectorCodebookArgmin.argmin4Lanes(scalarTerms, 512 * chunk, entries, from, n, vectorOut, 16 * chunk);
                }
            }
            for (int p = 0; p < passes; p++) {
                float[] own = new float[32];
                int base = 32 * (p - p % 16) + p % 16;
                for (int j = 0; j < 32; j++) {
                    own[j] = scalarTerms[base + 16 * j];
                }
                int expected = literal(own, 0, entries, from, n);
                assertEquals(expected, scalarOut[p], "case " + c + " pass " + p + " (scalar)");
                if (vector) {
                    assertEquals(expected, vectorOut[p], "case " + c + " pass " + p + " (vector)");
                }
            }
        }
    }

    /** levelCodes8: the IQ2 passes' 2-bit level codes, vector = scalar = a literal computation. */
    @Test
    void levelCodes8OfEveryPass() {
        boolean vector = Vectorization.enabled() && VectorCodebookArgmin.supported();
        SplittableRandom r = new SplittableRandom(23);
        int[] scalar = new int[32];
        int[] vec = new int[32];
        for (int c = 0; c < CASES; c++) {
            int passes = r.nextInt(1, 33);
            float[] ids = passIds(r, c);
            float[] x = levelInputs(r, 11, 4, false);
            int xo = r.nextInt(0, 4);
            CodebookArgmin.levelCodes8Scalar(ids, passes, x, xo, scalar);
            if (vector) {
                VectorCodebookArgmin.levelCodes8(ids, passes, x, xo, vec);
            }
            for (int p = 0; p < passes; p++) {
                int code = 0;
                for (int i = 0; i < 8; i++) {
                    float v = 0.5f * (ids[p] * x[xo + i] - 1);
                    code |= (int) Math.max(0, Math.min(2, Math.rint(v))) << (2 * i);
                }
                assertEquals(code, scalar[p], "case " + c + " pass " + p + " (scalar)");
                if (vector) {
                    assertEquals(code, vec[p], "case " + c + " pass " + p + " (vector)");
                }
            }
        }
    }

    /** 32 pass ids: every third case small integers (values land exactly on rounding edges), else continuous. */
    private static float[] passIds(SplittableRandom r, int c) {
        float[] ids = new float[32];
        for (int p = 0; p < 32; p++) {
            ids[p] = c % 3 == 0 ? 1f + r.nextInt(4) : (float) (0.5 + 4 * r.nextDouble());
        }
        return ids;
    }

    /** Values for the level tests: halves (rounding edges), continuous in [0, top), zeros and negatives, far ones. */
    private static float[] levelInputs(SplittableRandom r, int n, int top, boolean far) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (r.nextInt(far ? 4 : 3)) {
                case 0 -> r.nextInt(2 * top) * 0.5f;
                case 1 -> (float) (r.nextDouble() * top);
                case 2 -> r.nextBoolean() ? 0f : -(float) r.nextDouble();
                default -> (float) (r.nextDouble() * 200);
            };
        }
        return x;
    }
}
