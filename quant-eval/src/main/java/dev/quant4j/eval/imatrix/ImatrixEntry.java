package dev.quant4j.eval.imatrix;

import java.util.Arrays;

/**
 * One weight's statistics as llama-imatrix keeps them: {@code sums} holds, for each of {@code counts.length}
 * matrices (experts of a stacked MoE weight, else 1), the float32 sums of squared inputs per column; {@code counts}
 * the rows accumulated into each matrix. Raw sums, not means: means are {@code sums / count} (llama-quantize's
 * importance). Mutable within this package only; accessors return copies.
 */
public final class ImatrixEntry {
    float[] sums;
    long[] counts;

    ImatrixEntry(float[] sums, long[] counts) {
        this.sums = sums;
        this.counts = counts;
    }

    /** An entry with the given sums and counts (copied); the sums must split evenly into the matrices. */
    public static ImatrixEntry of(float[] sums, long[] counts) {
        if (counts.length == 0 || sums.length == 0 || sums.length % counts.length != 0) {
            throw new IllegalArgumentException(sums.length + " sums do not split into " + counts.length + " matrices");
        }
        return new ImatrixEntry(sums.clone(), counts.clone());
    }

    /** Values per matrix: the weight's row length. */
    public int columns() {
        return sums.length / counts.length;
    }

    /** Matrices (experts), 1 for a dense weight. */
    public int matrices() {
        return counts.length;
    }

    public float[] sums() {
        return sums.clone();
    }

    public long[] counts() {
        return counts.clone();
    }

    long maxCount() {
        long m = 0;
        for (long c : counts) {
            m = Math.max(m, c);
        }
        return m;
    }

    ImatrixEntry copy() {
        return new ImatrixEntry(sums.clone(), counts.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImatrixEntry e && Arrays.equals(sums, e.sums) && Arrays.equals(counts, e.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sums) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ImatrixEntry[" + columns() + " columns x " + matrices() + ", counts " + Arrays.toString(counts) + "]";
    }
}
