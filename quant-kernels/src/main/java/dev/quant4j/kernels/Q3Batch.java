package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorQ3Batch;

/**
 * {@code make_q3_quants} with {@code do_rmse} ({@link Q3Quants}) over many consecutive blocks of one row: Q3_K's
 * sub-block search without an importance matrix. An instance is scratch space for one thread (and paces that
 * thread's warm-up probes, {@link PacedProbe}).
 */
public interface Q3Batch {
    /**
     * Searches {@code lanes} consecutive blocks of {@code n} values, block {@code j} at {@code x[xOff + j*n ..]}.
     *
     * @param L      receives levels in {@code [0, 2 nmax)} (all 0 for an all-zero block), block j at
     *               {@code L[lOff + j*n ..]}
     * @param scales receives the scale of block j at {@code scales[sOff + j]}
     */
    void make(int lanes, int nmax, float[] x, int xOff, byte[] L, int lOff, float[] scales, int sOff);

    /**
     * The fastest available implementation for blocks of {@code n} values: the vector one once the JIT has
     * compiled it ({@link WarmGate}), the scalar one before and without the vector module.
     */
    static Q3Batch create(int n) {
        if (!Vectorization.enabled()) {
            return scalar(n);
        }
        if (Gates.Q3.isOpen()) {
            return new VectorQ3Batch(n)::make;
        }
        Q3Batch vec = new VectorQ3Batch(n)::make;
        Q3Batch scalar = scalar(n);
        PacedProbe probes = new PacedProbe(Gates.Q3);
        return (lanes, nmax, x, xOff, L, lOff, scales, sOff) -> probes.run(lanes, Vectorization.lanes(),
                (v, from, count) -> (v ? vec : scalar).make(count, nmax, x, xOff + from * n, L, lOff + from * n,
                        scales, sOff + from));
    }

    /** The one-block-at-a-time reference. */
    static Q3Batch scalar(int n) {
        return (lanes, nmax, x, xOff, L, lOff, scales, sOff) -> {
            for (int j = 0; j < lanes; j++) {
                scales[sOff + j] = Q3Quants.make(n, nmax, x, xOff + j * n, L, lOff + j * n);
            }
        };
    }
}
