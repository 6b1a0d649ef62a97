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
