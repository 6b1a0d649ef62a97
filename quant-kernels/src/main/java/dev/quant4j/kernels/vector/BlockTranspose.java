package dev.quant4j.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Moves a group of {@code V} blocks of {@code n} values between block order (element i of block j at
 * {@code j * n + i}) and the lane order of the lane-per-block searches ({@code i * V + j}) with gathers, instead
 * of one scalar load and store per value. Only for {@code n} a multiple of {@code V}; plain copies, so the values
 * are exactly those of the scalar loops.
 */
final class BlockTranspose {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(V * 8));

    private final int n;
    /** {@code j * n}: element i of every block. */
    private final int[] acrossBlocks;
    /** {@code k * V}: V consecutive elements of one block in lane order. */
    private final int[] alongBlock;

    BlockTranspose(int n) {
        this.n = n;
        acrossBlocks = new int[V];
        alongBlock = new int[V];
        for (int k = 0; k < V; k++) {
            acrossBlocks[k] = k * n;
            alongBlock[k] = k * V;
        }
    }

    /** Whether the gathers apply to blocks of this length. */
    static boolean fits(int n) {
        return n % V == 0;
    }

    /** Element {@code i} of the {@code V} blocks at {@code x[xOff ..]}, one per lane (all V blocks must exist). */
    FloatVector lane(float[] x, int xOff, int i) {
        return FloatVector.fromArray(S, x, xOff + i, acrossBlocks, 0);
    }

    /** {@code L[lOff + j*n + i] = (byte) lT[base + i*V + j]} for blocks {@code j < count}. */
    void levelsToBlocks(int count, float[] lT, int base, byte[] L, int lOff) {
        for (int j = 0; j < count; j++) {
            for (int i0 = 0; i0 < n; i0 += V) {
                FloatVector l = FloatVector.fromArray(S, lT, base + i0 * V + j, alongBlock, 0);
                ((ByteVector) l.convertShape(VectorOperators.F2B, B, 0)).intoArray(L, lOff + j * n + i0);
            }
        }
    }
}
