package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The codebook neighbour search of the IQ3 quantizers with one candidate per lane. A search's 32 terms sit
 * in two registers and each candidate's terms are picked by a two-register permute; every lane adds its
 * terms from coordinate 0 on, as the scalar reference does, so each total is bit-identical. The minimum
 * (raw bits, then list position) is exact whatever the lane order. Needs 16 int lanes
 * ({@link #supported()}); see {@code dev.quant4j.kernels.CodebookArgmin} for the contract.
 */
public final class VectorCodebookArgmin {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final int MAX_BITS = Float.floatToRawIntBits(Float.MAX_VALUE);

    private VectorCodebookArgmin() {
    }

    /** True when 512-bit vectors are native (16 lanes: the 32 terms fit two registers). */
    public static boolean supported() {
        return IntVector.SPECIES_PREFERRED.length() == 16;
    }

    /**
     * 4 coordinates: candidates {@code entries[from ..from+n)} hold the term indices of their coordinates in
     * bits 0–4, 5–9, 10–14 and 15–19; terms at {@code t[b ..b+32)}.
     */
    public static int argmin4(float[] t, int b, int[] entries, int from, int n) {
        IntVector lo = FloatVector.fromArray(F, t, b).reinterpretAsInts();
        IntVector hi = FloatVector.fromArray(F, t, b + 16).reinterpretAsInts();
        int bestBits = Integer.MAX_VALUE;
        int bestK = -1;
        for (int k0 = 0; k0 < n; k0 += 16) {
            VectorMask<Integer> m = I.indexInRange(k0, n);
            IntVector e = load(entries, from + k0, m);
            FloatVector s = term(e.and(31), lo, hi);
            s = s.add(term(e.lanewise(VectorOperators.LSHR, 5).and(31), lo, hi));
            s = s.add(term(e.lanewise(VectorOperators.LSHR, 10).and(31), lo, hi));
            s = s.add(term(e.lanewise(VectorOperators.LSHR, 15).and(31), lo, hi));
            int min = keep(s, m);
            if (min < bestBits) {
                bestBits = min;
                bestK = k0 + s.reinterpretAsInts().compare(VectorOperators.EQ, min, m).firstTrue();
            }
        }
        return bestBits >= MAX_BITS ? -1 : bestK;
    }

    /**
     * Lane per scale pass, 4 values at {@code x[xo ..]}: each value's level
     * {@code clamp(nearest_int(0.5·(id·x − 1)), 0, 7)} (ggml's float trick) and whether {@code v − level} lies in
     * {@code [cellLo[level], cellHi[level]]}; writes per pass the 12-bit code, with bit 15 set when all four
     * do, to {@code out[p]}. {@code ids} and {@code out} hold whole chunks of 16 passes; the tables 16 floats.
     */
    public static void levelCodes4(float[] ids, int passes, float[] x, int xo, float[] cellLo, float[] cellHi,
                                   int[] out) {
        IntVector lo = FloatVector.fromArray(F, cellLo, 0).reinterpretAsInts();
        IntVector hi = FloatVector.fromArray(F, cellHi, 0).reinterpretAsInts();
        for (int c = 0; c < passes; c += 16) {
            FloatVector id = FloatVector.fromArray(F, ids, c);
            IntVector code = IntVector.zero(I);
            VectorMask<Float> inside = F.maskAll(true);
            for (int i = 0; i < 4; i++) {
                FloatVector v = id.mul(x[xo + i]).sub(1f).mul(0.5f);
                IntVector l = v.add(12582912f).reinterpretAsInts().and(0x007FFFFF).sub(0x00400000).max(0).min(7);
                FloatVector f = v.sub((FloatVector) l.convert(VectorOperators.I2F, 0));
                inside = inside.and(f.compare(VectorOperators.GE, l.selectFrom(lo).reinterpretAsFloats()))
                        .and(f.compare(VectorOperators.LE, l.selectFrom(hi).reinterpretAsFloats()));
                code = code.or(l.lanewise(VectorOperators.LSHL, 3 * i));
            }
            code.lanewise(VectorOperators.OR, 1 << 15, inside.cast(I)).intoArray(out, c);
        }
    }

    /**
     * Lane per scale pass, 8 values at {@code x[xo ..]}: the 2-bit levels {@code clamp(nearest_int(0.5·(id·x − 1)),
     * 0, 2)} packed as a 16-bit code (value i at bits 2i), per pass into {@code out[p]}; whole chunks of 16.
     */
    public static void levelCodes8(float[] ids, int passes, float[] x, int xo, int[] out) {
        for (int c = 0; c < passes; c += 16) {
            FloatVector id = FloatVector.fromArray(F, ids, c);
            IntVector code = IntVector.zero(I);
            for (int i = 0; i < 8; i++) {
                FloatVector v = id.mul(x[xo + i]).sub(1f).mul(0.5f);
                IntVector l = v.add(12582912f).reinterpretAsInts().and(0x007FFFFF).sub(0x00400000).max(0).min(2);
                code = code.or(l.lanewise(VectorOperators.LSHL, 2 * i));
            }
            code.intoArray(out, c);
        }
    }

    /**
     * Lane per scale pass: the 32 terms {@code (w_i·(scales[p]·q_l − x_i))·(scales[p]·q_l − x_i)} of the 4
     * values at {@code x[xo ..]} for every pass, chunk c of 16 passes at {@code tv[512·c + 16·(8·i + l)]}.
     */
    public static void terms4Lanes(float[] scales, int passes, float[] q, float[] x, int xo, float[] w, int wo,
                                   float[] tv) {
        for (int c = 0; c < passes; c += 16) {
            FloatVector s = FloatVector.fromArray(F, scales, c);
            int base = 32 * c;
            for (int l = 0; l < 8; l++) {
                FloatVector sq = s.mul(q[l]);
                for (int i = 0; i < 4; i++) {
                    FloatVector d = sq.sub(x[xo + i]);
                    d.mul(w[wo + i]).mul(d).intoArray(tv, base + 16 * (8 * i + l));
                }
            }
        }
    }

    /**
     * One search per lane over the same candidates {@code lists[from .. from+n)} (term indices as for
     * {@link #argmin4}), terms of the 16 lanes at {@code tv[tvo + 16·index]}: per lane the first smallest total
     * (list order, strict {@code <}), as k or -1, into {@code out[outo ..outo+16)}.
     */
    public static void argmin4Lanes(float[] tv, int tvo, int[] lists, int from, int n, int[] out, int outo) {
        IntVector bestBits = IntVector.broadcast(I, Integer.MAX_VALUE);
        IntVector bestK = IntVector.broadcast(I, -1);
        for (int k = 0; k < n; k++) {
            int e = lists[from + k];
            IntVector bits = FloatVector.fromArray(F, tv, tvo + 16 * (e & 31))
                    .add(FloatVector.fromArray(F, tv, tvo + 16 * ((e >>> 5) & 31)))
                    .add(FloatVector.fromArray(F, tv, tvo + 16 * ((e >>> 10) & 31)))
                    .add(FloatVector.fromArray(F, tv, tvo + 16 * ((e >>> 15) & 31)))
                    .reinterpretAsInts();
            VectorMask<Integer> better = bits.compare(VectorOperators.LT, bestBits);
            bestBits = bestBits.blend(bits, better);
            bestK = bestK.blend(k, better);
        }
        bestK.blend(-1, bestBits.compare(VectorOperators.GE, MAX_BITS)).intoArray(out, outo);
    }

    /**
     * 8 coordinates of 2 bits, one search per lane over the same grouped neighbour list (see
     * {@code dev.quant4j.kernels.CodebookArgmin#argmin8Lanes} for the layout and the contract): lane j has scale
     * {@code scales[j]}; its terms {@code (w_i·(scale·q_l − x_i))·(scale·q_l − x_i)} are formed per lane, in
     * that order, into {@code tv} (96·16 floats of scratch: slot {@code 4·i + l}, then the high coordinates'
     * smallest term per level range), and every entry's total is the group's low-half sum plus its four high
     * terms, left to right. A group is skipped when a lower bound of its totals exceeds every lane's best
     * (exact: none of its entries could win). Writes each lane's winning code or -1 to {@code out[0 .. lanes)}
     * ({@code out} holds at least 16). At most 16 lanes.
     */
    public static void argmin8Lanes(float[] scales, int lanes, float[] q, float[] x, int xo, float[] w, int wo,
                                    int[] lists, int start, float[] tv, int[] out) {
        terms8Lanes(scales, q, x, xo, w, wo, tv);
        argmin8Masked(tv, (1 << lanes) - 1, lists, start, out);
    }

    /**
     * The terms of {@link #argmin8Lanes} for all 16 lanes, lane j at scale {@code scales[j]}, into {@code tv}
     * (96·16 floats): once per group, for any number of {@link #argmin8Masked} walks.
     */
    public static void terms8Lanes(float[] scales, float[] q, float[] x, int xo, float[] w, int wo, float[] tv) {
        FloatVector s = FloatVector.fromArray(F, scales, 0);
        FloatVector sq0 = s.mul(q[0]);
        FloatVector sq1 = s.mul(q[1]);
        FloatVector sq2 = s.mul(q[2]);
        for (int i = 0; i < 8; i++) {
            float xi = x[xo + i];
            float wi = w[wo + i];
            int at = 64 * i;
            FloatVector d = sq0.sub(xi);
            d.mul(wi).mul(d).intoArray(tv, at);
            d = sq1.sub(xi);
            d.mul(wi).mul(d).intoArray(tv, at + 16);
            d = sq2.sub(xi);
            FloatVector t2 = d.mul(wi).mul(d);
            t2.intoArray(tv, at + 32);
            if (i >= 4) {
                // smallest term per level range 3·lo + hi of the high coordinates, for the group bounds
                FloatVector t0 = FloatVector.fromArray(F, tv, at);
                FloatVector t1 = FloatVector.fromArray(F, tv, at + 16);
                FloatVector m01 = t0.min(t1);
                int r = 512 + 256 * (i - 4);
                t0.intoArray(tv, r);
                m01.intoArray(tv, r + 16);
                m01.min(t2).intoArray(tv, r + 32);
                t1.intoArray(tv, r + 64);
                t1.min(t2).intoArray(tv, r + 80);
                t2.intoArray(tv, r + 128);
            }
        }
    }

    /**
     * The list walk of {@link #argmin8Lanes} over terms from {@link #terms8Lanes}, for the lanes whose bit is set
     * in {@code active}: their winning codes or -1 into {@code out[j]} (other lanes' entries are undefined).
     */
    public static void argmin8Masked(float[] tv, int active, int[] lists, int start, int[] out) {
        VectorMask<Float> idle = VectorMask.fromLong(F, ~active & 0xFFFFL);
        IntVector bestBits = IntVector.broadcast(I, Integer.MAX_VALUE);
        IntVector bestV = IntVector.broadcast(I, Integer.MAX_VALUE);
        int groups = lists[start] >>> 16;
        int p = start + 1;
        for (int g = 0; g < groups; g++) {
            int head = lists[p++];
            int count = head >>> 24;
            FloatVector low = FloatVector.fromArray(F, tv, 16 * (head & 3))
                    .add(FloatVector.fromArray(F, tv, 64 + 16 * ((head >>> 2) & 3)))
                    .add(FloatVector.fromArray(F, tv, 128 + 16 * ((head >>> 4) & 3)))
                    .add(FloatVector.fromArray(F, tv, 192 + 16 * ((head >>> 6) & 3)));
            {
                // every total of the group is at least this (float addition is monotone): skip the group
                // when that exceeds every lane's best
                FloatVector bound = low.add(FloatVector.fromArray(F, tv, 512 + 16 * ((head >>> 8) & 15)))
                        .add(FloatVector.fromArray(F, tv, 768 + 16 * ((head >>> 12) & 15)))
                        .add(FloatVector.fromArray(F, tv, 1024 + 16 * ((head >>> 16) & 15)))
                        .add(FloatVector.fromArray(F, tv, 1280 + 16 * ((head >>> 20) & 15)));
                if (bound.compare(VectorOperators.GT, bestBits.reinterpretAsFloats()).or(idle).allTrue()) {
                    p += count;
                    continue;
                }
            }
            for (int k = 0; k < count; k++) {
                int v = lists[p++];
                IntVector bits = low.add(FloatVector.fromArray(F, tv, 256 + 16 * ((v >>> 8) & 3)))
                        .add(FloatVector.fromArray(F, tv, 320 + 16 * ((v >>> 10) & 3)))
                        .add(FloatVector.fromArray(F, tv, 384 + 16 * ((v >>> 12) & 3)))
                        .add(FloatVector.fromArray(F, tv, 448 + 16 * ((v >>> 14) & 3)))
                        .reinterpretAsInts();
                // smaller total, or the same total earlier in the list (position in the entry's high bits)
                VectorMask<Integer> better = bits.compare(VectorOperators.LT, bestBits)
                        .or(bits.compare(VectorOperators.EQ, bestBits).and(bestV.compare(VectorOperators.GT, v)));
                bestBits = bestBits.blend(bits, better);
                bestV = bestV.blend(v, better);
            }
        }
        bestV.and(0xFFFF).blend(-1, bestBits.compare(VectorOperators.GE, MAX_BITS)).intoArray(out, 0);
    }

    /** Plain load when the 16 lanes lie inside the array (the extra lanes are masked out later), else masked. */
    private static IntVector load(int[] a, int at, VectorMask<Integer> m) {
        return at + 16 <= a.length ? IntVector.fromArray(I, a, at) : IntVector.fromArray(I, a, at, m);
    }

    /** The terms at indices {@code idx} (0–31) of the table held in {@code lo} (0–15) and {@code hi} (16–31). */
    private static FloatVector term(IntVector idx, IntVector lo, IntVector hi) {
        return idx.selectFrom(lo, hi).reinterpretAsFloats();
    }

    /** Smallest raw bit pattern among the lanes of {@code m} (signed, as the scalar key compares). */
    private static int keep(FloatVector s, VectorMask<Integer> m) {
        return s.reinterpretAsInts().reduceLanes(VectorOperators.MIN, m);
    }
}
