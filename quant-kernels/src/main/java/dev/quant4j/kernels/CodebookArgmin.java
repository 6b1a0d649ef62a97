package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorCodebookArgmin;

/**
 * The inner loop of the IQ3 codebook searches: of n candidates, each 4 term indices, the first one
 * with the smallest total, the total being the candidate's terms added from coordinate 0 on. Totals are
 * compared by their raw IEEE bits as signed ints, which orders them like their values when every term is +0,
 * positive or +∞ (the callers' "plain" case); ties go to the earlier candidate. A total whose bits are not
 * below {@code Float.MAX_VALUE}'s never wins (ggml's running best starts there): then -1.
 *
 * <p>Vectorized (one candidate per lane) when enabled and 16 lanes are native, else the scalar reference;
 * both return the same index for every input.
 */
public final class CodebookArgmin {
    private static final int MAX_BITS = Float.floatToRawIntBits(Float.MAX_VALUE);
    private static final boolean VECTOR = Vectorization.enabled() && VectorCodebookArgmin.supported();

    private CodebookArgmin() {
    }

    /** True when the vectorized searches run. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * 4 coordinates: candidate k is {@code entries[from + k]} with the index (0–31) of coordinate i's term in
     * bits 5i .. 5i+4, the term at {@code t[b + index]}. Returns k or -1.
     */
    public static int argmin4(float[] t, int b, int[] entries, int from, int n) {
        return VECTOR ? VectorCodebookArgmin.argmin4(t, b, entries, from, n) : argmin4Scalar(t, b, entries, from, n);
    }

    /** The scalar reference of {@link #argmin4}. */
    public static int argmin4Scalar(float[] t, int b, int[] entries, int from, int n) {
        long bestKey = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int v = entries[from + k];
            float d2 = t[b + (v & 31)] + t[b + ((v >>> 5) & 31)] + t[b + ((v >>> 10) & 31)] + t[b + ((v >>> 15) & 31)];
            bestKey = Math.min(bestKey, (long) Float.floatToRawIntBits(d2) << 32 | k);
        }
        return (int) (bestKey >>> 32) >= MAX_BITS ? -1 : (int) bestKey;
    }

    /** Most searches one {@link #argmin8Lanes} call runs side by side. */
    public static final int LANES = 16;

    /*
     * The IQ3 scale passes of one group of 4 values, side by side (lane = pass, chunks of LANES passes; the
     * arrays indexed by pass hold whole chunks): levelCodes4 gives every pass's level code, termsLanes4 every
     * pass's 32 terms, argmin4Lanes searches one list for the 16 passes of a chunk. Same operations per pass,
     * in the same order, as the one-pass code.
     */

    /**
     * Per pass p: the levels {@code clamp(nearest_int(0.5·(ids[p]·x_i − 1)), 0, 7)} of the 4 values at
     * {@code x[xo ..]} (ggml's {@code nearest_int}: {@code bits(v + 1.5·2²³) & 0x7FFFFF − 0x400000}), packed as
     * {@code l_0 | l_1 << 3 | l_2 << 6 | l_3 << 9}, plus bit 15 when every value's {@code v − l} lies in
     * {@code [cellLo[l], cellHi[l]]} (NaN does not) into {@code out[p]}.
     *
     * @param cellLo 16 floats, the first 8 used
     * @param cellHi 16 floats, the first 8 used
     */
    public static void levelCodes4(float[] ids, int passes, float[] x, int xo, float[] cellLo, float[] cellHi,
                                   int[] out) {
        if (VECTOR) {
            VectorCodebookArgmin.levelCodes4(ids, passes, x, xo, cellLo, cellHi, out);
        } else {
            levelCodes4Scalar(ids, passes, x, xo, cellLo, cellHi, out);
        }
    }

    /** The scalar reference of {@link #levelCodes4}. */
    public static void levelCodes4Scalar(float[] ids, int passes, float[] x, int xo, float[] cellLo, float[] cellHi,
                                         int[] out) {
        for (int p = 0; p < passes; p++) {
            int code = 0;
            boolean inside = true;
            for (int i = 0; i < 4; i++) {
                float v = 0.5f * (ids[p] * x[xo + i] - 1);
                int l = Math.min(Math.max((Float.floatToRawIntBits(v + 12582912f) & 0x007FFFFF) - 0x00400000, 0), 7);
                float f = v - l;
                inside &= f >= cellLo[l] & f <= cellHi[l];
                code |= l << (3 * i);
            }
            out[p] = code | (inside ? 1 << 15 : 0);
        }
    }

    /**
     * Per pass p: the levels {@code clamp(nearest_int(0.5·(ids[p]·x_i − 1)), 0, 2)} of the 8 values at
     * {@code x[xo ..]} packed as {@code Σ l_i << 2i} into {@code out[p]} (the IQ2 passes' level codes).
     */
    public static void levelCodes8(float[] ids, int passes, float[] x, int xo, int[] out) {
        if (VECTOR) {
            VectorCodebookArgmin.levelCodes8(ids, passes, x, xo, out);
        } else {
            levelCodes8Scalar(ids, passes, x, xo, out);
        }
    }

    /** The scalar reference of {@link #levelCodes8}. */
    public static void levelCodes8Scalar(float[] ids, int passes, float[] x, int xo, int[] out) {
        for (int p = 0; p < passes; p++) {
            int code = 0;
            for (int i = 0; i < 8; i++) {
                float v = 0.5f * (ids[p] * x[xo + i] - 1);
                int l = Math.min(Math.max((Float.floatToRawIntBits(v + 12582912f) & 0x007FFFFF) - 0x00400000, 0), 2);
                code |= l << (2 * i);
            }
            out[p] = code;
        }
    }

    /**
     * Per pass p: the 32 terms {@code (w_i·d)·d}, {@code d = scales[p]·q[l] − x_i}, of the 4 values at
     * {@code x[xo ..]}, pass p's term (i, l) at {@code tv[32·(p − p%16) + 16·(8·i + l) + p%16]}.
     *
     * @param tv at least {@code 32·LANES} floats per chunk of passes
     */
    public static void terms4Lanes(float[] scales, int passes, float[] q, float[] x, int xo, float[] w, int wo,
                                   float[] tv) {
        if (VECTOR) {
            VectorCodebookArgmin.terms4Lanes(scales, passes, q, x, xo, w, wo, tv);
        } else {
            terms4LanesScalar(scales, passes, q, x, xo, w, wo, tv);
        }
    }

    /** The scalar reference of {@link #terms4Lanes}. */
    public static void terms4LanesScalar(float[] scales, int passes, float[] q, float[] x, int xo, float[] w, int wo,
                                         float[] tv) {
        for (int p = 0; p < passes; p++) {
            int base = 32 * (p - p % LANES) + p % LANES;
            for (int i = 0; i < 4; i++) {
                for (int l = 0; l < 8; l++) {
                    float d = scales[p] * q[l] - x[xo + i];
                    tv[base + 16 * (8 * i + l)] = w[wo + i] * d * d;
                }
            }
        }
    }

    /**
     * {@link #argmin4} for the 16 passes of one chunk of {@link #terms4Lanes} (terms at {@code tv[tvo ..]},
     * {@code tvo} a multiple of 512), all over the candidates {@code entries[from .. from+n)}: per lane its k or
     * -1 into {@code out[outo .. outo+16)}. The callers' "plain" condition applies (weights +0 or positive and
     * finite, moderate scales).
     */
    public static void argmin4Lanes(float[] tv, int tvo, int[] entries, int from, int n, int[] out, int outo) {
        if (VECTOR) {
            VectorCodebookArgmin.argmin4Lanes(tv, tvo, entries, from, n, out, outo);
        } else {
            argmin4LanesScalar(tv, tvo, entries, from, n, out, outo);
        }
    }

    /** The scalar reference of {@link #argmin4Lanes}: lane after lane, the same sums, first strict minimum. */
    public static void argmin4LanesScalar(float[] tv, int tvo, int[] entries, int from, int n, int[] out, int outo) {
        for (int j = 0; j < LANES; j++) {
            long bestKey = Long.MAX_VALUE;
            for (int k = 0; k < n; k++) {
                int v = entries[from + k];
                float d2 = tv[tvo + 16 * (v & 31) + j] + tv[tvo + 16 * ((v >>> 5) & 31) + j]
                        + tv[tvo + 16 * ((v >>> 10) & 31) + j] + tv[tvo + 16 * ((v >>> 15) & 31) + j];
                bestKey = Math.min(bestKey, (long) Float.floatToRawIntBits(d2) << 32 | k);
            }
            out[outo + j] = (int) (bestKey >>> 32) >= MAX_BITS ? -1 : (int) bestKey;
        }
    }

    /**
     * The 8-coordinate (2-bit) searches of the IQ2 quantizers, one per lane, all over the same neighbour list
     * but each at its own scale: the scale passes of one group of 8 values that fell on the same off-grid code.
     * Lane j's term of coordinate i and level l is {@code (w_i·d)·d} with {@code d = scales[j]·q[l] − x_i}
     * (ggml's operations, in its order), and a candidate's total is the sum of its 8 terms from coordinate 0 on.
     * Each lane gets ggml's answer: the first candidate in list order with the smallest total, or -1 when no
     * total is below {@code Float.MAX_VALUE}. Totals are compared by their raw bits, which is exact when every
     * weight is +0 or positive and finite and the scales moderate (the callers check it): then every term is
     * +0, positive or +∞.
     *
     * <p>List layout (the IQ2 searches' grouped lists): {@code lists[start] = length | groups << 16}, then per
     * group a head word {@code lowLevels | ranges << 8 | count << 24} (the 2-bit levels of coordinates 0–3 in
     * bits 0–7) followed by {@code count} entries {@code code | position << 16} (code: 2 bits per coordinate,
     * coordinate i at bits 2i; position in list order).
     *
     * @param scales at least {@link #LANES} floats; lanes {@code lanes ..} are ignored
     * @param lanes  1 .. {@link #LANES}
     * @param q      the three level values
     * @param tv     scratch of {@code 96·LANES} floats
     * @param out    at least {@link #LANES} ints: each lane's winning code, or -1
     */
    public static void argmin8Lanes(float[] scales, int lanes, float[] q, float[] x, int xo, float[] w, int wo,
                                    int[] lists, int start, float[] tv, int[] out) {
        if (lanes < 1 || lanes > LANES) {
            throw new IllegalArgumentException("lanes must be 1.." + LANES + ": " + lanes);
        }
        if (VECTOR) {
            VectorCodebookArgmin.argmin8Lanes(scales, lanes, q, x, xo, w, wo, lists, start, tv, out);
        } else {
            argmin8LanesScalar(scales, lanes, q, x, xo, w, wo, lists, start, tv, out);
        }
    }

    /** The scalar reference of {@link #argmin8Lanes}: lane after lane, the same terms and sums. */
    public static void argmin8LanesScalar(float[] scales, int lanes, float[] q, float[] x, int xo, float[] w, int wo,
                                          int[] lists, int start, float[] tv, int[] out) {
        terms8LanesScalar(scales, q, x, xo, w, wo, tv);
        argmin8MaskedScalar(tv, (1 << lanes) - 1, lists, start, out);
    }

    /**
     * The first half of {@link #argmin8Lanes} for all {@link #LANES} lanes (lane j at {@code scales[j]}): the
     * terms of the 8 values at {@code x[xo ..]}, into {@code tv} (96·LANES floats, a layout private to this
     * pair), formed once for any number of {@link #argmin8Masked} walks over different lists.
     */
    public static void terms8Lanes(float[] scales, float[] q, float[] x, int xo, float[] w, int wo, float[] tv) {
        if (VECTOR) {
            VectorCodebookArgmin.terms8Lanes(scales, q, x, xo, w, wo, tv);
        } else {
            terms8LanesScalar(scales, q, x, xo, w, wo, tv);
        }
    }

    /** The scalar reference of {@link #terms8Lanes}: term (coordinate i, level l) of lane j at {@code tv[16·(4i+l) + j]}. */
    public static void terms8LanesScalar(float[] scales, float[] q, float[] x, int xo, float[] w, int wo,
                                         float[] tv) {
        for (int j = 0; j < LANES; j++) {
            for (int i = 0; i < 8; i++) {
                for (int l = 0; l < 3; l++) {
                    float d = scales[j] * q[l] - x[xo + i];
                    tv[16 * (4 * i + l) + j] = w[wo + i] * d * d;
                }
            }
        }
    }

    /**
     * The second half of {@link #argmin8Lanes}: the walk of one grouped list (layout as there) over terms from
     * {@link #terms8Lanes}, for the lanes whose bit is set in {@code active}; each such lane's winning code, or
     * -1, into {@code out[j]} (the other entries are undefined). Same contract per lane as argmin8Lanes.
     */
    public static void argmin8Masked(float[] tv, int active, int[] lists, int start, int[] out) {
        if (VECTOR) {
            VectorCodebookArgmin.argmin8Masked(tv, active, lists, start, out);
        } else {
            argmin8MaskedScalar(tv, active, lists, start, out);
        }
    }

    /** The scalar reference of {@link #argmin8Masked}: lane after lane, every entry, first smallest total. */
    public static void argmin8MaskedScalar(float[] tv, int active, int[] lists, int start, int[] out) {
        for (int j = 0; j < LANES; j++) {
            if ((active >>> j & 1) == 0) {
                continue;
            }
            long bestKey = Long.MAX_VALUE;
            int groups = lists[start] >>> 16;
            int p = start + 1;
            for (int g = 0; g < groups; g++) {
                int head = lists[p++];
                int count = head >>> 24;
                float low = tv[16 * (head & 3) + j] + tv[16 * (4 + ((head >>> 2) & 3)) + j]
                        + tv[16 * (8 + ((head >>> 4) & 3)) + j] + tv[16 * (12 + ((head >>> 6) & 3)) + j];
                for (int k = 0; k < count; k++) {
                    int v = lists[p++];
                    float d2 = low + tv[16 * (16 + ((v >>> 8) & 3)) + j] + tv[16 * (20 + ((v >>> 10) & 3)) + j]
                            + tv[16 * (24 + ((v >>> 12) & 3)) + j] + tv[16 * (28 + ((v >>> 14) & 3)) + j];
                    bestKey = Math.min(bestKey, (long) Float.floatToRawIntBits(d2) << 32 | v);
                }
            }
            out[j] = (int) (bestKey >>> 32) >= MAX_BITS ? -1 : (int) bestKey & 0xFFFF;
        }
    }
}
