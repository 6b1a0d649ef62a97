package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorQxBatch;

/**
 * {@code make_qx_quants} with {@code rmse_type = 1} ({@link QxQuants}) over many consecutive blocks of one row.
 * An instance is scratch space for one thread (and paces that thread's warm-up probes, {@link PacedProbe}); keep
 * one per thread.
 */
public interface QxBatch {
    /**
     * Searches {@code lanes} consecutive blocks of {@code n} values: block {@code j} is {@code x[xOff + j*n ..]}
     * with weights {@code qw[qwOff + j*n ..]}, or {@code x^2} when {@code qw} is null.
     *
     * @param L      receives levels in {@code [0, 2 nmax)}, block j at {@code L[lOff + j*n ..]}; null when only the
     *               scales are wanted (the search then skips the levels)
     * @param scales receives the scale of block j at {@code scales[sOff + j]}
     */
    void make(int lanes, int nmax, float[] x, int xOff, float[] qw, int qwOff, byte[] L, int lOff, float[] scales,
              int sOff);

    /**
     * The fastest available implementation for blocks of {@code n} values: the vector one once the JIT has
     * compiled it ({@link WarmGate}), the scalar one before and without the vector module.
     */
    static QxBatch create(int n) {
        if (!Vectorization.enabled()) {
            return scalar(n);
        }
        if (Gates.QX.isOpen()) {
            return new VectorQxBatch(n)::make;
        }
        VectorQxBatch vector = new VectorQxBatch(n);
        QxBatch vec = vector::make;
        QxBatch scalar = scalar(n);
        PacedProbe probes = new PacedProbe(Gates.QX);
        return (lanes, nmax, x, xOff, qw, qwOff, L, lOff, scales, sOff) -> probes.run(lanes, Vectorization.lanes(),
                (v, from, count) -> (v ? vec : scalar).make(count, nmax, x, xOff + from * n, qw,
                        qwOff + from * n, L, lOff + from * n, scales, sOff + from));
    }

    /**
     * As {@link #create} for a caller that keeps one instance per thread (Q6_K). Without the vector module it is
     * {@link LaneQxBatch}: plain loops over up to 128 blocks that C2 auto-vectorizes, three times faster than the
     * block-at-a-time reference (its scratch, 3 x 128 floats per block element, is too large to allocate per
     * call). With the module the fallback before the vector gate opens stays the reference: the lane kernel there
     * made whole Q4_0 runs slower, its own compiles competing with the vector kernels' for C2
     * (docs/quantize-speed.md, "Q4_0, session 7").
     */
    static QxBatch perThread(int n) {
        return Vectorization.enabled() ? create(n) : new LaneQxBatch(n);
    }

    /** The one-block-at-a-time reference. */
    static QxBatch scalar(int n) {
        return (lanes, nmax, x, xOff, qw, qwOff, L, lOff, scales, sOff) -> {
            for (int j = 0; j < lanes; j++) {
                int b = j * n;
                scales[sOff + j] = QxQuants.make(n, nmax, x, xOff + b, qw, qwOff + b, L, lOff + b);
            }
        };
    }
}
