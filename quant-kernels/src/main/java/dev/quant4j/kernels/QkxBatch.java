package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorQkxBatch;

/**
 * {@code make_qkx2_quants} / {@code make_qkx3_quants} ({@link QkxQuants}) over many consecutive blocks of one
 * row. An instance is scratch space for one thread (and paces that thread's warm-up probes, {@link PacedProbe});
 * keep one per thread.
 */
public interface QkxBatch {
    /**
     * Searches {@code lanes} consecutive blocks of {@code n} values: block {@code j} is {@code x[xOff + j*n ..]}
     * with weights {@code w[wOff + j*n ..]} ({@code w} may be null only for qkx3, meaning {@code x^2}).
     *
     * @param v3      false for make_qkx2_quants, true for make_qkx3_quants
     * @param L       receives levels 0..nmax, block j at {@code L[lOff + j*n ..]}
     * @param scales  receives the scale of block j at {@code scales[sOff + j]}
     * @param theMins receives {@code the_min} of block j at {@code theMins[sOff + j]}
     */
    void make(int lanes, int nmax, float[] x, int xOff, float[] w, int wOff, float rmin, float rdelta, int nstep,
              boolean useMad, boolean v3, byte[] L, int lOff, float[] scales, float[] theMins, int sOff);

    /**
     * The fastest available implementation for blocks of {@code n} values: the vector one once the JIT has
     * compiled it ({@link WarmGate}), the scalar one before and without the vector module.
     */
    static QkxBatch create(int n) {
        if (!Vectorization.enabled()) {
            return scalar(n);
        }
        if (Gates.QKX.isOpen()) {
            return new VectorQkxBatch(n)::make;
        }
        VectorQkxBatch vector = new VectorQkxBatch(n);
        QkxBatch vec = vector::make;
        QkxBatch scalar = scalar(n);
        PacedProbe probes = new PacedProbe(Gates.QKX);
        return (lanes, nmax, x, xOff, w, wOff, rmin, rdelta, nstep, useMad, v3, L, lOff, scales, theMins, sOff) ->
                probes.run(lanes, Vectorization.lanes(), (v, from, count) -> (v ? vec : scalar).make(count,
                        nmax, x, xOff + from * n, w, w == null ? wOff : wOff + from * n, rmin, rdelta, nstep, useMad,
                        v3, L, lOff + from * n, scales, theMins, sOff + from));
    }

    /** The one-block-at-a-time reference. */
    static QkxBatch scalar(int n) {
        byte[] laux = new byte[n];
        return (lanes, nmax, x, xOff, w, wOff, rmin, rdelta, nstep, useMad, v3, L, lOff, scales, theMins, sOff) -> {
            for (int j = 0; j < lanes; j++) {
                int b = j * n;
                scales[sOff + j] = v3
                        ? QkxQuants.make3(n, nmax, x, xOff + b, w, wOff + b, rmin, rdelta, nstep, useMad, L, lOff + b,
                                laux, theMins, sOff + j)
                        : QkxQuants.make2(n, nmax, x, xOff + b, w, wOff + b, rmin, rdelta, nstep, useMad, L, lOff + b,
                                laux, theMins, sOff + j);
            }
        };
    }
}
