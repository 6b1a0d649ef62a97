package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code make_qx_quants} (rmse_type 1) with one block per vector lane; every lane performs exactly the float
 * operations of {@code dev.quant4j.kernels.QxQuants} in the same order, so results are bit-identical. Blocks are padded to a
 * multiple of the lane count with zero blocks.
 *
 * <p>The 19 candidates run through one loop (the reference's first scale is candidate {@code is = 0}, taken
 * unconditionally), a small method for C2, and the search computes a level {@code clamp(nearest_int(v), -nmax,
 * nmax - 1)} in float as {@code (v + 1.5 * 2^23) - 1.5 * 2^23}, then clamped: the value of ggml's integer trick
 * wherever {@code |v| < 2^22}, and here {@code |v| <= nmax + 1} (a candidate scale is at most
 * {@code (nmax + 0.9) / |max|} and no element exceeds {@code |max|}; zero blocks get the divisor 1). The final
 * levels, when asked for, use the integer form itself.
 */
public final class VectorQxBatch {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /** GROUP_MAX_EPS, as {@code QxQuants.EPS}. */
    private static final float EPS = 1e-15f;
    private static final float MAGIC = 12582912f;
    /** The reference's candidates: {@code is = 0} (its first scale, {@code -nmax / max}), then -9 .. -1, 1 .. 9. */
    private static final int CANDIDATES = 19;

    private final int n;
    /** Gathers for whole groups, null when n is not a multiple of V. */
    private final BlockTranspose gather;
    // one group of V blocks, transposed: element i of lane j at i * V + j; wx = w * x (the first factor of w*x*l)
    private final float[] xT;
    private final float[] wT;
    private final float[] wxT;
    private final float[] lT;
    private final float[] scale = new float[V];
    /** The winning candidate scale of each lane (the multiplier of its levels); 0 for zero blocks. */
    private final float[] bestS = new float[V];

    /** Scratch for blocks of {@code n} values (any number of them per call). */
    public VectorQxBatch(int n) {
        this.n = n;
        gather = BlockTranspose.fits(n) ? new BlockTranspose(n) : null;
        xT = new float[n * V];
        wT = new float[n * V];
        wxT = new float[n * V];
        lT = new float[n * V];
    }

    /** As {@code QxBatch.make} ({@code L} null: scales only). */
    public void make(int lanes, int nmax, float[] x, int xOff, float[] qw, int qwOff, byte[] L, int lOff,
                     float[] scales, int sOff) {
        for (int lane0 = 0; lane0 < lanes; lane0 += V) {
            int count = Math.min(V, lanes - lane0);
            if (count == V && gather != null && qw == null) {
                gatherGroup(x, xOff + lane0 * n);
            } else {
                transpose(count, x, xOff + lane0 * n, qw, qwOff + lane0 * n);
            }
            group(nmax);
            System.arraycopy(scale, 0, scales, sOff + lane0, count);
            if (L != null) {
                levels(nmax, count, L, lOff + lane0 * n);
            }
        }
    }

    /** Loads {@code count} blocks into the transposed group; missing lanes are zero blocks. */
    private void transpose(int count, float[] x, int xOff, float[] qw, int qwOff) {
        for (int j = 0; j < count; j++) {
            int xb = xOff + j * n;
            int wb = qwOff + j * n;
            for (int i = 0; i < n; i++) {
                float xi = x[xb + i];
                float wi = qw != null ? qw[wb + i] : xi * xi;
                xT[i * V + j] = xi;
                wT[i * V + j] = wi;
                wxT[i * V + j] = wi * xi;
            }
        }
        for (int j = count; j < V; j++) {
            for (int i = 0; i < n; i++) {
                xT[i * V + j] = 0f;
                wT[i * V + j] = 0f;
                wxT[i * V + j] = 0f;
            }
        }
    }

    /** {@link #transpose} of a whole group without weights, by gathers; w and wx lane-wise as the scalar loop does. */
    private void gatherGroup(float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            FloatVector xi = gather.lane(x, xOff, i);
            FloatVector w = xi.mul(xi);
            xi.intoArray(xT, i * V);
            w.intoArray(wT, i * V);
            w.mul(xi).intoArray(wxT, i * V);
        }
    }

    /** The search for one group: scales into {@code scale}, winning multipliers into {@code bestS}. */
    private void group(int nmax) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector amax = zero;
        FloatVector max = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, i * V);
            FloatVector ax = xi.abs();
            VectorMask<Float> bigger = ax.compare(VectorOperators.GT, amax);
            amax = amax.blend(ax, bigger);
            max = max.blend(xi, bigger);
        }
        VectorMask<Float> zeroLanes = amax.lt(EPS);
        // zero blocks get a harmless divisor; their results are discarded
        max = max.blend(FloatVector.broadcast(S, 1f), zeroLanes);
        FloatVector lo = FloatVector.broadcast(S, (float) -nmax);
        FloatVector hi = FloatVector.broadcast(S, (float) (nmax - 1));
        FloatVector magic = FloatVector.broadcast(S, MAGIC);
        FloatVector sc = zero;
        FloatVector best = zero;
        FloatVector bs = zero;
        for (int c = 0; c < CANDIDATES; c++) {
            FloatVector sv = FloatVector.broadcast(S, -((float) nmax + 0.1f * candidate(c))).div(max);
            FloatVector sumlx = zero;
            FloatVector suml2 = zero;
            for (int i = 0; i < n; i++) {
                int t = i * V;
                FloatVector l = sv.mul(FloatVector.fromArray(S, xT, t)).add(magic).sub(magic).max(lo).min(hi);
                sumlx = sumlx.add(FloatVector.fromArray(S, wxT, t).mul(l));
                suml2 = suml2.add(FloatVector.fromArray(S, wT, t).mul(l).mul(l));
            }
            // in the reference's order; the first candidate is taken unconditionally (scale 0 where suml2 is 0)
            VectorMask<Float> better = c == 0 ? S.maskAll(true) : suml2.compare(VectorOperators.GT, zero)
                    .and(sumlx.mul(sumlx).compare(VectorOperators.GT, best.mul(suml2)));
            FloatVector ns = sumlx.div(suml2).blend(zero, suml2.compare(VectorOperators.EQ, zero));
            sc = sc.blend(ns, better);
            best = best.blend(ns.mul(sumlx), better);
            bs = bs.blend(sv, better);
        }
        sc.blend(zero, zeroLanes).intoArray(scale, 0);
        bs.blend(zero, zeroLanes).intoArray(bestS, 0);
    }

    /** The {@code is} of candidate {@code c}: 0 (the reference's first scale), then -9 .. -1, 1 .. 9. */
    private static int candidate(int c) {
        return c == 0 ? 0 : c <= 9 ? c - 10 : c - 9;
    }

    /** The winning candidate's levels, biased by nmax, into {@code L}; zero blocks (multiplier 0) get level 0. */
    private void levels(int nmax, int count, byte[] L, int lOff) {
        FloatVector m = FloatVector.fromArray(S, bestS, 0);
        VectorMask<Float> zeroLanes = m.compare(VectorOperators.EQ, 0f);
        jdk.incubator.vector.IntVector lo = jdk.incubator.vector.IntVector.broadcast(
                jdk.incubator.vector.IntVector.SPECIES_PREFERRED, -nmax);
        jdk.incubator.vector.IntVector hi = jdk.incubator.vector.IntVector.broadcast(
                jdk.incubator.vector.IntVector.SPECIES_PREFERRED, nmax - 1);
        FloatVector bias = FloatVector.broadcast(S, (float) nmax);
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i++) {
            FloatVector l = Levels.clamped(m.mul(FloatVector.fromArray(S, xT, i * V)), lo, hi).add(bias);
            l.blend(zero, zeroLanes).intoArray(lT, i * V);
        }
        if (gather != null) {
            gather.levelsToBlocks(count, lT, 0, L, lOff);
            return;
        }
        for (int j = 0; j < count; j++) {
            int lb = lOff + j * n;
            for (int i = 0; i < n; i++) {
                L[lb + i] = (byte) lT[i * V + j];
            }
        }
    }
}
