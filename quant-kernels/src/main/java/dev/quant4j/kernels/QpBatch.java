package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorQpBatch;

/**
 * {@code make_qp_quants} ({@link QpQuants}) for up to {@link #LANES} blocks at once, only the scale wanted
 * (IQ2_XXS's start scale of every sub-block of a super-block). The vector form runs one block per lane with
 * the scalar routine's float operations in its order, so every lane's scale is bit-identical. An instance
 * holds scratch for one thread.
 */
public interface QpBatch {
    /** Blocks per call at most. */
    int LANES = 16;

    /**
     * The scales of {@code lanes ≤ LANES} blocks of n values, block j at {@code x[j·n ..]} with weights at
     * {@code w[j·n ..]}, into {@code scales[j]}.
     */
    void make(int lanes, int nmax, float[] x, float[] w, float[] scales);

    /** The vector form when enabled and 16 lanes are native, else {@link #scalar}; both give the same scales. */
    static QpBatch create(int n) {
        return CodebookArgmin.vectorized() ? new VectorQpBatch(n)::make : scalar(n);
    }

    /** The one-block-at-a-time reference: {@link QpQuants#make} per block. */
    static QpBatch scalar(int n) {
        byte[] levels = new byte[n];
        return (lanes, nmax, x, w, scales) -> {
            for (int j = 0; j < lanes; j++) {
                scales[j] = QpQuants.make(n, nmax, x, j * n, w, j * n, levels, 0);
            }
        };
    }
}
